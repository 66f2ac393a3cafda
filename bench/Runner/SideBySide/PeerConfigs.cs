using System.Globalization;
using System.Text;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// The same scenario written for each checker: TCP connect checks (or HTTP GET / expecting 200 with --check http:
/// keepalived HTTP_GET, ldirectord checktype=negotiate), quiesce on failure (weight 0), recover on one
/// pass, a failure confirmed by one quick re-check. keepalived: TCP_CHECK, retry 1, delay_before_retry 1 s,
/// inhibit_on_failure. ldirectord: checktype=connect, quiescent=yes (it takes a server down on the first failure:
/// failurecount=1 is its default and it has no quick re-check). ipvs-checkd: tcp, fall 2, rise 1, fast_interval 1 s (--fast-interval), down_interval only with --down-interval.
/// </summary>
internal static class PeerConfigs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string CheckdYaml(SideBySideOptions o, string stateDir)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"listen: 127.0.0.1:9480\nstate_dir: {stateDir}\nkernel: {{ on_exit: remove }}\n");
        sb.Append(Inv, $"defaults:\n  check: {{ type: {o.Check}, {(o.Check == "http" ? "path: /, expect_status: [200], " : "")}interval: {(int)o.Interval.TotalSeconds}s, timeout: {(int)o.Timeout.TotalSeconds}s, rise: 1, fall: 2, fast_interval: {o.FastIntervalText}{(o.DownIntervalText is { } down ? ", down_interval: " + down : "")} }}\n");
        sb.Append("  on_failure: quiesce\n  scheduler: wlc\n  forward: nat\n  weight: 1\n");
        if (o.Verb == "flap")
        {
            // What an operator facing flapping servers turns on; the peers have nothing like it.
            sb.Append("  flap_damping: { failures: 3, window: 1m, hold: 2m }\n");
        }
        sb.Append("virtual_services:\n");
        for (var v = 0; v < o.Services; v++)
        {
            sb.Append(Inv, $"  - address: {SideBySideOptions.Vip(v)}\n    realservers:\n");
            for (var r = 0; r < o.RealServers; r++)
            {
                sb.Append(Inv, $"      - {{ address: {o.Rip(v, r)} }}\n");
            }
        }
        return sb.ToString();
    }

    public static string KeepalivedConf(SideBySideOptions o)
    {
        var sb = new StringBuilder("global_defs {\n  router_id side-by-side\n}\n");
        for (var v = 0; v < o.Services; v++)
        {
            var vip = SideBySideOptions.Vip(v);
            sb.Append(Inv, $"virtual_server {vip.Address} {vip.Port} {{\n  delay_loop {(int)o.Interval.TotalSeconds}\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n");
            for (var r = 0; r < o.RealServers; r++)
            {
                var rip = o.Rip(v, r);
                sb.Append(Inv, $"  real_server {rip.Address} {rip.Port} {{\n    weight 1\n    inhibit_on_failure\n");
                sb.Append(o.Check == "http" ? "    HTTP_GET {\n      url {\n        path /\n        status_code 200\n      }\n" : "    TCP_CHECK {\n");
                sb.Append(Inv, $"      connect_timeout {(int)o.Timeout.TotalSeconds}\n      retry 1\n      delay_before_retry 1\n    }}\n  }}\n");
            }
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    public static string LdirectordCf(SideBySideOptions o, string logFile)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"checktimeout={(int)o.Timeout.TotalSeconds}\ncheckinterval={(int)o.Interval.TotalSeconds}\nautoreload=no\n");
        sb.Append(Inv, $"logfile=\"{logFile}\"\nquiescent=yes\nsupervised=yes\n");
        for (var v = 0; v < o.Services; v++)
        {
            sb.Append(Inv, $"virtual={SideBySideOptions.Vip(v)}\n");
            for (var r = 0; r < o.RealServers; r++)
            {
                sb.Append(Inv, $"\treal={o.Rip(v, r)} masq 1\n");
            }
            sb.Append(o.Check == "http" ? "\tchecktype=negotiate\n\tservice=http\n\trequest=\"/\"\n\treceive=\"ok\"\n" : "\tchecktype=connect\n");
            sb.Append("\tscheduler=wlc\n\tprotocol=tcp\n");
        }
        return sb.ToString();
    }
}
