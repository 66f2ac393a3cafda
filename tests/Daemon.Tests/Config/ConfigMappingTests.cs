using System.Net;
using System.Net.Sockets;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

public sealed class ConfigMappingTests
{
    [Fact]
    public void Load_IssueExample_MapsToTopology()
    {
        var result = ConfigText.Load(ConfigText.IssueExample);

        Assert.Empty(result.Problems);
        var config = result.Config!;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9480), config.Listen);
        Assert.Equal("/etc/ipvs-checkd/token", config.AdminTokenFile);
        Assert.Equal(DriftPolicy.Revert, config.Topology.Options.Drift);
        Assert.False(config.Topology.Options.RemoveOnExit);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Topology.Options.ReconcileInterval);

        var vs = Assert.Single(config.Topology.VirtualServices);
        Assert.Equal("web", vs.Name);
        Assert.Equal(ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80")), vs.Service.Key);
        Assert.Equal("wlc", vs.Service.Scheduler);
        Assert.Equal(ServiceFlags.None, vs.Service.Flags);
        Assert.Equal(1, vs.Quorum);
        Assert.Equal(IPAddress.Parse("10.0.9.9"), vs.SorryServer!.Address);
        Assert.Equal(80, vs.SorryServer.Port);

        Assert.Equal(2, vs.RealServers.Count);
        var rs1 = vs.RealServers[0];
        Assert.Equal(IPEndPoint.Parse("10.0.1.1:80"), rs1.Address);
        Assert.Equal(10, rs1.Weight);
        Assert.Equal(ForwardMethod.Masquerade, rs1.Forward);
        Assert.Equal(OnFailure.Quiesce, rs1.OnFailure);
        var check1 = Assert.Single(rs1.Checks);
        var http = Assert.IsType<HttpCheckSpec>(check1.Spec);
        Assert.Equal("/health", http.Path);
        Assert.Equal([new StatusRange(200)], http.ExpectStatus.AsSpan().ToArray());
        Assert.Equal(TimeSpan.FromSeconds(1), http.Timeout);
        Assert.Equal(IPEndPoint.Parse("10.0.1.1:80"), check1.Target.EndPoint);
        Assert.Equal(new CheckSchedule(TimeSpan.FromSeconds(2), 2, 2), check1.Schedule);

        var check2 = Assert.Single(vs.RealServers[1].Checks);
        Assert.Equal(IPEndPoint.Parse("10.0.2.2:8080"), check2.Target.EndPoint);
        Assert.Equal(IPEndPoint.Parse("10.0.1.2:80"), check2.Target.RealServer);
        Assert.Equal("web", check2.Target.VirtualService);
        Assert.Equal(http, check2.Spec);
    }

    [Fact]
    public void Load_DefaultsServiceRealserver_InheritsDownward()
    {
        var result = ConfigText.Load("""
            defaults:
              check: { interval: 5s, timeout: 2s, rise: 3, fall: 4, fast_interval: 500ms }
              on_failure: remove
              slow_start: 30s
              weight: 7
              forward: dr
              scheduler: rr
            virtual_services:
              - name: a
                address: 10.0.0.1:80
                check: { type: http, path: /ping, host: example.org }
                slow_start: 10s
                realservers:
                  - { address: 10.0.1.1:80 }
                  - { address: 10.0.1.2:80, weight: 3, on_failure: quiesce, check: { port: 8081, fall: 1 } }
              - name: b
                address: 10.0.0.2:25
                realservers:
                  - { address: 10.0.1.1:25 }
            """);

        Assert.Empty(result.Problems);
        var a = result.Config!.Topology.VirtualServices[0];
        Assert.Equal("rr", a.Service.Scheduler);
        var rs1 = a.RealServers[0];
        Assert.Equal(7, rs1.Weight);
        Assert.Equal(ForwardMethod.Route, rs1.Forward);
        Assert.Equal(OnFailure.Remove, rs1.OnFailure);
        Assert.Equal(TimeSpan.FromSeconds(10), rs1.SlowStart);
        var c1 = rs1.Checks[0];
        var http = Assert.IsType<HttpCheckSpec>(c1.Spec);
        Assert.Equal("/ping", http.Path);
        Assert.Equal("example.org", http.Host);
        Assert.Equal(TimeSpan.FromSeconds(2), http.Timeout);
        Assert.Equal(new CheckSchedule(TimeSpan.FromSeconds(5), 3, 4, TimeSpan.FromMilliseconds(500)), c1.Schedule);

        var rs2 = a.RealServers[1];
        Assert.Equal(3, rs2.Weight);
        Assert.Equal(OnFailure.Quiesce, rs2.OnFailure);
        Assert.Equal(IPEndPoint.Parse("10.0.1.2:8081"), rs2.Checks[0].Target.EndPoint);
        Assert.Equal(1, rs2.Checks[0].Schedule.Fall);
        Assert.Equal(3, rs2.Checks[0].Schedule.Rise);
        Assert.Equal(http, rs2.Checks[0].Spec);

        // Service b writes no check: it gets the defaults' (kind tcp by default) and the defaults' slow start.
        var b = result.Config.Topology.VirtualServices[1].RealServers[0];
        Assert.IsType<TcpCheckSpec>(b.Checks[0].Spec);
        Assert.Equal(TimeSpan.FromSeconds(30), b.SlowStart);
        Assert.Equal(TimeSpan.FromSeconds(5), b.Checks[0].Schedule.Interval);
    }

    [Fact]
    public void Load_TypeChangedBelow_DropsKindOptionsKeepsCommonOnes()
    {
        var result = ConfigText.Load("""
            defaults:
              check: { type: http, path: /x, interval: 3s }
            virtual_services:
              - address: 10.0.0.1:53
                protocol: udp
                check: { type: dns, name: example.org, query_type: A, expect: 192.0.2.1 }
                realservers: [ { address: 10.0.1.1:53 } ]
            """);

        Assert.Empty(result.Problems);
        var vs = result.Config!.Topology.VirtualServices[0];
        Assert.Equal("UDP 10.0.0.1:53", vs.Name);
        var check = vs.RealServers[0].Checks[0];
        var dns = Assert.IsType<DnsCheckSpec>(check.Spec);
        Assert.Equal("example.org", dns.QueryName);
        Assert.Equal(DnsQueryType.A, dns.QueryType);
        Assert.Equal("192.0.2.1", dns.ExpectedAnswer);
        Assert.Equal(TimeSpan.FromSeconds(3), check.Schedule.Interval);
    }

    [Fact]
    public void Load_FwmarkIpv6AndPersistence_MapsServiceFields()
    {
        var result = ConfigText.Load("""
            virtual_services:
              - name: marked
                fwmark: 12
                family: inet6
                persistence: 5m
                netmask: 64
                realservers:
                  - { address: "[2001:db8::10]", check: { type: icmp } }
                  - { address: "[2001:db8::11]:8080" }
              - name: v4persist
                address: 10.0.0.1:443
                persistence: 300s
                netmask: 255.255.255.0
                realservers: [ { address: 10.0.1.1:443 } ]
            """);

        Assert.Empty(result.Problems);
        var marked = result.Config!.Topology.VirtualServices[0];
        Assert.Equal(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 12), marked.Service.Key);
        Assert.Equal(ServiceFlags.Persistent, marked.Service.Flags);
        Assert.Equal(300u, marked.Service.PersistenceTimeoutSeconds);
        Assert.Equal(64u, marked.Service.Netmask);
        Assert.Equal(0, marked.RealServers[0].Address.Port);
        Assert.IsType<IcmpCheckSpec>(marked.RealServers[0].Checks[0].Spec);
        Assert.Equal(8080, marked.RealServers[1].Checks[0].Target.EndPoint.Port);

        var v4 = result.Config.Topology.VirtualServices[1];
        Assert.Equal(0xFFFFFF00u, v4.Service.Netmask);
    }

    [Fact]
    public void Load_EveryCheckKind_MapsItsOptions()
    {
        var result = ConfigText.Load("""
            virtual_services:
              - address: 10.0.0.1:443
                realservers:
                  - address: 10.0.1.1:443
                    check: { type: https, path: /h, method: HEAD, sni: www.example.org, verify: false, headers: { X-Probe: "1" }, expect_status: [200, "300-399"], body_regex: "ok|fine", http_version: "1.0" }
              - address: 10.0.0.1:25
                realservers:
                  - { address: 10.0.1.1:25, check: { type: smtp, helo: director.example.org } }
                  - address: 10.0.1.2:25
                    check: { type: expect, steps: [ { expect_regex: "^220" }, { send: "QUIT\r\n" }, { expect_hex: "32 32 31" } ] }
              - address: 10.0.0.1:9
                protocol: udp
                realservers:
                  - { address: 10.0.1.1:9, check: { type: udp, payload_hex: "00 01", expect: pong } }
                  - { address: 10.0.1.2:9, check: { type: exec, command: /usr/local/bin/probe, args: ["{address}", "{port}"], dynamic_weight: true, user: nobody } }
            """);

        Assert.Empty(result.Problems);
        var vss = result.Config!.Topology.VirtualServices;
        var https = Assert.IsType<HttpCheckSpec>(vss[0].RealServers[0].Checks[0].Spec);
        Assert.Equal("https", https.Kind);
        Assert.Equal(HttpCheckMethod.Head, https.Method);
        Assert.Equal("www.example.org", https.Tls!.Sni);
        Assert.False(https.Tls.Verify);
        Assert.Equal([new HttpHeader("X-Probe", "1")], https.Headers.AsSpan().ToArray());
        Assert.Equal([new StatusRange(200), new StatusRange(300, 399)], https.ExpectStatus.AsSpan().ToArray());
        Assert.Equal(BodyMatch.Regex("ok|fine"), https.BodyMatch);
        Assert.Equal(HttpCheckVersion.Http10, https.Version);

        Assert.Equal(ExpectCheckSpec.Smtp("director.example.org"), vss[1].RealServers[0].Checks[0].Spec);
        var expect = Assert.IsType<ExpectCheckSpec>(vss[1].RealServers[1].Checks[0].Spec);
        Assert.Equal([ExpectStep.ExpectRegex("^220"), ExpectStep.Send("QUIT\r\n"), ExpectStep.ExpectHex("32 32 31")], expect.Steps.AsSpan().ToArray());

        var udp = Assert.IsType<UdpCheckSpec>(vss[2].RealServers[0].Checks[0].Spec);
        Assert.Equal(DataFormat.Hex, udp.PayloadFormat);
        Assert.Equal("00 01", udp.Payload);
        Assert.Equal("pong", udp.ExpectReply);
        var exec = Assert.IsType<ExecCheckSpec>(vss[2].RealServers[1].Checks[0].Spec);
        Assert.Equal("/usr/local/bin/probe", exec.Command);
        Assert.Equal(["{address}", "{port}"], exec.Arguments.AsSpan().ToArray());
        Assert.True(exec.DynamicWeight);
        Assert.Equal("nobody", exec.User);
    }

    [Fact]
    public void Load_Alerts_MapsCommandsAndWebhooks()
    {
        var result = ConfigText.Load("""
            alerts:
              hold: 20s
              resend: 10m
              max_count: 5
              commands: [ { command: /usr/local/bin/page, args: [ops] } ]
              webhooks: [ { url: "https://hooks.example.org/ipvs", headers: { Authorization: "Bearer x" }, timeout: 2s } ]
            """);

        Assert.Empty(result.Problems);
        var alerts = result.Config!.Alerts;
        Assert.Equal(TimeSpan.FromSeconds(20), alerts.Hold);
        Assert.Equal(TimeSpan.FromMinutes(10), alerts.Resend);
        Assert.Equal(5, alerts.MaxCount);
        Assert.Equal("/usr/local/bin/page", Assert.Single(alerts.Commands).Command);
        var hook = Assert.Single(alerts.Webhooks);
        Assert.Equal(new Uri("https://hooks.example.org/ipvs"), hook.Url);
        Assert.Equal(TimeSpan.FromSeconds(2), hook.Timeout);
        Assert.Equal("Bearer x", hook.Headers[0].Value);
    }
}
