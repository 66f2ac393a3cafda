using System.Text;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Tests.Config;
using Ipvs.Fuzzing;
using Xunit;

namespace Ipvs.Daemon.Tests.Fuzz;

/// <summary>
/// Fuzzes the config loader with mutated YAML: every input must give a config or problems located in the file
/// (line and column ≥ 1) — never an exception, which on reload would escape the reloader.
/// </summary>
public sealed class ConfigFuzzTests
{
    internal const string EveryKind = """
        listen: 127.0.0.1:9480
        state_dir: /var/lib/ipvs-checkd
        kernel: { reconcile_interval: 5s, drift: adopt, on_exit: remove, readiness_gate: 2s }
        engine: { max_in_flight: 100, max_in_flight_per_host: 4, lag_guard: 500ms }
        alerts:
          hold: 10s
          resend: 30m
          max_count: 3
          recovery: true
          commands: [ { command: /bin/true, args: [a, b], timeout: 10s } ]
          webhooks: [ { url: "https://hooks.example/x", headers: { Authorization: "Bearer s3cret" }, timeout: 5s } ]
        defaults:
          check: { type: tcp, interval: 2s, timeout: 1s, rise: 2, fall: 3, jitter: 100ms }
          on_failure: remove
          slow_start: 10s
        virtual_services:
          - name: web
            address: "[2001:db8::1]:443"
            scheduler: wrr
            forward: dr
            quorum: 2
            check: { type: https, path: /health, headers: { X-Key: k }, expect_status: ["200-299", 301], body_regex: "o+k", sni: web.example, verify: false }
            realservers:
              - { address: "[2001:db8::10]:443", weight: 5 }
              - { address: "[2001:db8::11]:443", weight: 0, check: { port: 8443 } }
          - name: mail
            protocol: tcp
            address: 10.0.0.2:25
            check: { type: expect, steps: [ { expect: "220" }, { send: "EHLO x\r\n" }, { expect_regex: "^250" }, { send_hex: "51 55 49 54 0d 0a" } ], max_read: 4096 }
            realservers: [ { address: 10.0.1.1:25 }, { address: 10.0.1.2:25, check: { type: smtp, helo: director } } ]
          - name: dns
            fwmark: 12
            family: inet
            check: { type: dns, name: svc.example, query_type: MX, expect: mail.example, port: 53 }
            realservers:
              - { address: 10.0.2.1 }
              - { address: 10.0.2.2, check: { type: udp, payload: "ping\n", expect: pong } }
              - { address: 10.0.2.3, check: { type: icmp, payload_size: 100 } }
              - { address: 10.0.2.4, check: { type: exec, command: /usr/lib/check, args: ["{address}", "{port}"], user: nobody, dynamic_weight: true, max_output: 100 } }
        """;

    [Fact]
    public void Load_MutatedYaml_GivesConfigOrLocatedProblemsNeverAnException()
    {
        var seeds = new[] { ConfigText.IssueExample, EveryKind }.Select(s => Encoding.UTF8.GetBytes(s.ReplaceLineEndings("\n"))).ToList();
        foreach (var seed in seeds)
        {
            var loaded = ConfigLoader.Load(Encoding.UTF8.GetString(seed), "fuzz.yaml");
            Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        }
        var inputs = MutationFuzzer.Run("config loader", seeds, Load, _ => false, shortRunInputs: 3_000);
        Assert.True(inputs > 0);
    }

    private static void Load(byte[] bytes)
    {
        var result = ConfigLoader.Load(Encoding.UTF8.GetString(bytes), "fuzz.yaml");
        Assert.Equal(result.Ok, result.Problems.Count == 0);
        foreach (var p in result.Problems)
        {
            Assert.Equal("fuzz.yaml", p.File);
            Assert.True(p.Line >= 1 && p.Column >= 1, p.ToString());
            Assert.False(string.IsNullOrWhiteSpace(p.Message), p.ToString());
        }
    }
}
