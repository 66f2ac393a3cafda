using System.Globalization;
using System.Text;
using Ipvs.Engine;

namespace Ipvs.Daemon.Tests.Import;

/// <summary>
/// Writes large, realistic keepalived.conf and ldirectord.cf files (a mix of check kinds, forwarding methods and
/// weights) together with the IPVS table they describe, one line per service and per realserver, in the form
/// <see cref="Table"/> gives for an imported config.
/// </summary>
internal static class GeneratedConfigs
{
    private static readonly string[] Schedulers = ["wlc", "wrr", "rr", "lc", "sh"];

    public static (string Text, List<string> Table) Keepalived(int services)
    {
        var sb = new StringBuilder("! generated: ").Append(services).Append(" virtual servers\nglobal_defs {\n  router_id gen\n}\n");
        var table = new List<string>();
        for (var i = 0; i < services; i++)
        {
            var kind = i % 5;
            var vip = $"10.{40 + i / 250}.{i % 250 / 50}.{i % 50 + 1}";
            var port = kind switch { 0 => 80, 1 => 8080, 2 => 443, 3 => 9000, _ => 53 };
            var proto = kind == 4 ? "UDP" : "TCP";
            var method = kind switch { 0 or 2 => "DR", 1 or 4 => "NAT", _ => "TUN" };
            var sched = Schedulers[i % Schedulers.Length];
            var persistence = i % 7 == 0 ? 600 : 0;
            sb.Append(Inv($"virtual_server {vip} {port} {{\n    delay_loop {2 + i % 4}\n    lb_algo {sched}\n    lb_kind {method}\n    protocol {proto}\n"));
            if (persistence > 0)
            {
                sb.Append(Inv($"    persistence_timeout {persistence}\n"));
            }
            if (i % 3 == 0)
            {
                sb.Append("    inhibit_on_failure\n");
            }
            table.Add(Inv($"{proto} {vip}:{port} {sched} {persistence}"));
            for (var k = 0; k < 4; k++)
            {
                var rip = $"10.{100 + i / 250}.{i % 250}.{k + 1}";
                var rport = method == "NAT" ? port + 1000 : port;
                var weight = 1 + (i + k) % 10;
                sb.Append(Inv($"    real_server {rip} {rport} {{\n        weight {weight}\n"));
                sb.Append(kind switch
                {
                    0 => "        HTTP_GET {\n            url {\n              path /health\n              status_code 200\n            }\n            connect_timeout 1\n            retry 2\n            delay_before_retry 1\n        }\n",
                    1 => "        TCP_CHECK {\n            connect_timeout 1\n        }\n",
                    2 => Inv($"        SSL_GET {{\n            url {{\n              path /ready\n              digest {i:x32}\n            }}\n            connect_timeout 2\n        }}\n"),
                    3 => Inv($"        MISC_CHECK {{\n            misc_path \"/usr/lib/check/app {rip}\"\n            misc_timeout 1\n        }}\n"),
                    _ => "        DNS_CHECK {\n            name example.com\n            type A\n            connect_timeout 1\n        }\n",
                });
                sb.Append("    }\n");
                table.Add(Inv($"  -> {rip}:{rport} {Forward(method)} {weight}"));
            }
            sb.Append("}\n");
        }
        return (sb.ToString(), table);
    }

    public static (string Text, List<string> Table) Ldirectord(int services)
    {
        var sb = new StringBuilder("# generated: ").Append(services).Append(" virtual services\nchecktimeout=2\nnegotiatetimeout=2\ncheckinterval=5\nfailurecount=2\nquiescent=yes\n");
        var table = new List<string>();
        for (var i = 0; i < services; i++)
        {
            var kind = i % 4;
            var vip = $"10.{50 + i / 250}.{i % 250 / 50}.{i % 50 + 1}";
            var port = kind switch { 0 => 80, 1 => 443, 2 => 3306, _ => 53 };
            var method = kind == 1 ? "masq" : kind == 2 ? "ipip" : "gate";
            var sched = Schedulers[i % Schedulers.Length];
            sb.Append(Inv($"virtual={vip}:{port}\n"));
            for (var k = 0; k < 4; k++)
            {
                var rip = $"10.{150 + i / 250}.{i % 250}.{k + 1}";
                var weight = 1 + (i + k) % 10;
                var rport = method == "masq" ? port + 8000 : port;
                sb.Append(Inv($"\treal={rip}:{rport} {method} {weight}\n"));
                table.Add(Inv($"  -> {rip}:{rport} {Forward(method)} {weight}"));
            }
            sb.Append(kind switch
            {
                0 => "\tservice=http\n\trequest=\"/health\"\n\treceive=\"OK\"\n",
                1 => "\tservice=https\n\trequest=\"/\"\n",
                2 => "\tchecktype=connect\n",
                _ => "\tservice=dns\n\trequest=\"example.com\"\n",
            });
            sb.Append(Inv($"\tscheduler={sched}\n"));
            var persistence = i % 6 == 0 ? 300 : 0;
            if (persistence > 0)
            {
                sb.Append(Inv($"\tpersistent={persistence}\n"));
            }
            var proto = kind == 3 ? "UDP" : "TCP";
            table.Insert(table.Count - 4, Inv($"{proto} {vip}:{port} {sched} {persistence}"));
        }
        return (sb.ToString(), table);
    }

    /// <summary>The IPVS table a loaded config describes, in the same lines as the generators'.</summary>
    public static List<string> Table(Topology topology)
    {
        var lines = new List<string>();
        foreach (var vs in topology.VirtualServices)
        {
            lines.Add(Inv($"{vs.Service.Key} {vs.Service.Scheduler} {vs.Service.PersistenceTimeoutSeconds}"));
            foreach (var rs in vs.RealServers)
            {
                lines.Add(Inv($"  -> {rs.Address} {rs.Forward} {rs.Weight}"));
            }
        }
        return lines;
    }

    private static string Forward(string method) => method switch
    {
        "DR" or "gate" => "Route",
        "TUN" or "ipip" => "Tunnel",
        _ => "Masquerade",
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
