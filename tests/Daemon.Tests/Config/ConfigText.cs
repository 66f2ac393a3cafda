using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>Loads config text as if from a file named "t.yaml", so problems read "t.yaml:LINE:COL: ...".</summary>
internal static class ConfigText
{
    public const string File = "t.yaml";

    public static ConfigLoadResult Load(string yaml) => ConfigLoader.Load(yaml.ReplaceLineEndings("\n"), File);

    public static IReadOnlyList<string> Problems(string yaml) => [.. Load(yaml).Problems.Select(p => p.ToString())];

    /// <summary>The issue's example, verbatim.</summary>
    public const string IssueExample = """
        listen: 127.0.0.1:9480          # HTTP: /metrics, /api/v1/..., status page
        state_dir: /var/lib/ipvs-checkd # admin state, last known health (survives restarts)
        admin_token_file: /etc/ipvs-checkd/token
        kernel: { reconcile_interval: 5s, drift: revert, on_exit: keep }   # drift: ignore|revert|adopt; on_exit: keep|remove
        defaults:                       # inherited by every virtual service, overridable per service and per realserver
          check: { type: tcp, interval: 2s, timeout: 1s, rise: 2, fall: 2 }
          on_failure: quiesce           # quiesce (weight 0) | remove
          slow_start: 0s
        virtual_services:
          - name: web
            protocol: tcp               # tcp | udp | sctp
            address: 10.0.0.1:80        # or  fwmark: 12  (with family: inet | inet6); [v6]:port for IPv6
            scheduler: wlc
            forward: nat                # nat | dr | tun
            persistence: 0s
            quorum: 1
            sorry_server: 10.0.9.9:80
            check: { type: http, path: /health, expect_status: [200] }
            realservers:
              - { address: 10.0.1.1:80, weight: 10 }
              - { address: 10.0.1.2:80, weight: 10, check: { address: 10.0.2.2, port: 8080 } }
        """;
}
