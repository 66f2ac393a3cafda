using System.Globalization;
using System.Net.Sockets;

namespace Ipvs.Daemon.Import;

/// <summary>One keepalived virtual_server → one virtual service (or one per member of its group).</summary>
internal static class KeepalivedServices
{
    private static readonly HashSet<string> Schedulers = new(StringComparer.Ordinal)
    {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
    };

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "lvs_sched", "lb_algo", "lvs_method", "lb_kind", "persistence_timeout", "persistence_granularity", "persistence_engine",
        "protocol", "ha_suspend", "smtp_alert", "virtualhost", "snmp_name", "alpha", "omega", "quorum", "hysteresis", "quorum_up",
        "quorum_down", "ip_family", "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "connect_timeout", "retry",
        "delay_before_retry", "warmup", "delay_loop", "inhibit_on_failure", "real_server", "ops", "flag-1", "flag-2", "flag-3",
        "sh-port", "sh-fallback", "mh-port", "mh-fallback", "nb_get_retry",
    };

    public static IEnumerable<ImportedService> Import(KaNode vs, Dictionary<string, KaNode> groups, KaNode? ssl, HashSet<string> names)
    {
        var body = vs.Children ?? [];
        var scope = new KaScope(body.Where(n => n.Children is null), null);
        var notes = new List<string>();
        foreach (var n in body)
        {
            if (!Known.Contains(n.Keyword))
            {
                notes.Add($"{n.Where}: '{n.Keyword}' is not a virtual_server setting the import knows: ignored");
            }
        }
        var members = Members(vs, groups);
        // Without `protocol` keepalived makes an address service UDP (it logs "no protocol set - defaulting to
        // UDP"): the import writes what the kernel gets, and says so, since TCP was most likely meant.
        var protocol = scope.Own("protocol") is { } p ? Protocol(p) : "udp";
        if (scope.Own("protocol") is null && members.Any(m => m.Fwmark is null))
        {
            notes.Add($"{vs.Where}: no protocol: keepalived makes this service UDP (\"no protocol set - defaulting to UDP\"), so does the import; write protocol: tcp if TCP was meant");
        }
        var forward = Forward(scope.Own("lvs_method") ?? scope.Own("lb_kind"), notes) ?? "nat";
        foreach (var m in members)
        {
            var s = new ImportedService { Forward = forward };
            s.Notes.AddRange(notes);
            if (m.Fwmark is { } mark)
            {
                s.Fwmark = mark;
                var ipFamily = scope.Own("ip_family");
                s.Family = m.Family ?? (ipFamily is null ? null : KeepalivedGroups.Family(ipFamily.Arg(0, "inet or inet6"), ipFamily));
                if (scope.Own("protocol") is { } pr)
                {
                    s.Notes.Add($"{pr.Where}: protocol on a fwmark service: the mark selects the packets whatever their protocol: not written");
                }
            }
            else
            {
                s.Address = ImportValues.EndPoint(m.Address!, m.Port);
                s.Protocol = protocol;
            }
            s.Name = UniqueName(m, protocol, names);
            Settings(s, scope, m, protocol);
            if (m.Group is not null)
            {
                s.Notes.Add($"{vs.Where}: one of the services of virtual_server group {m.Group} (ipvs-checkd has no groups: each member is written out with the same realservers)");
            }
            foreach (var rsNode in body.Where(n => n.Keyword == "real_server"))
            {
                s.RealServers.Add(KeepalivedRealServers.Import(rsNode, scope, m, protocol, forward, ssl));
            }
            if (s.Family is null && s.Fwmark is not null && s.RealServers.Count > 0
                && s.RealServers.All(r => r.Address.StartsWith('[')))
            {
                s.Family = "inet6";
            }
            Lift(s, scope);
            CheckFactoring.Apply(s);
            yield return s;
        }
    }

    private static string Protocol(KaNode p) => p.Arg(0, "TCP, UDP or SCTP").ToLowerInvariant() switch
    {
        "tcp" => "tcp",
        "udp" => "udp",
        "sctp" => "sctp",
        _ => throw new ImportException(p.Where, $"protocol '{p.Args[0]}' is not one of: TCP, UDP, SCTP"),
    };

    private static List<KaMember> Members(KaNode vs, Dictionary<string, KaNode> groups)
    {
        var first = vs.Arg(0, "an address, 'fwmark N' or 'group NAME'");
        if (first == "fwmark")
        {
            return [new KaMember(null, 0, ImportValues.Integer(vs.Arg(1, "the mark"), vs.Where, "fwmark", 1, uint.MaxValue), null, null)];
        }
        if (first == "group")
        {
            var name = vs.Arg(1, "the group name");
            return groups.TryGetValue(name, out var g) ? KeepalivedGroups.Expand(g) : throw new ImportException(vs.Where, $"virtual_server_group {name} is not defined");
        }
        var address = ImportValues.Address(first, vs.Where, "virtual_server");
        var port = vs.Args.Count > 1 ? ImportValues.Port(vs.Args[1], vs.Where, "virtual_server port") : 0;
        return [new KaMember(address, port, null, null, null)];
    }

    private static string UniqueName(KaMember m, string protocol, HashSet<string> names)
    {
        var baseName = m.Fwmark is { } mark
            ? "fwmark-" + mark.ToString(CultureInfo.InvariantCulture) + (m.Family == "inet6" ? "-inet6" : "")
            : ImportValues.EndPoint(m.Address!, m.Port) + (protocol == "tcp" ? "" : "/" + protocol);
        if (m.Group is not null)
        {
            baseName = m.Group + "/" + baseName;
        }
        var name = baseName;
        for (var i = 2; !names.Add(name); i++)
        {
            name = baseName + "-" + i.ToString(CultureInfo.InvariantCulture);
        }
        return name;
    }

    internal static string? Forward(KaNode? n, List<string> notes)
    {
        if (n is null)
        {
            return null;
        }
        var method = n.Arg(0, "NAT, DR or TUN").ToUpperInvariant();
        if (method == "TUN" && n.Args.Count > 1 && !(n.Args.Count == 3 && n.Args[2] == "ipip"))
        {
            notes.Add($"{n.Where}: {n.Text}: ipvs-checkd's forward tun is the kernel's default IPIP tunnel; GUE/GRE tunnel types and checksum options are not set");
        }
        return method switch
        {
            "NAT" => "nat",
            "DR" => "dr",
            "TUN" => "tun",
            _ => throw new ImportException(n.Where, $"{n.Keyword} '{n.Args[0]}' is not one of: NAT, DR, TUN"),
        };
    }

    private static void Settings(ImportedService s, KaScope scope, KaMember m, string protocol)
    {
        if ((scope.Own("lvs_sched") ?? scope.Own("lb_algo")) is { } sched)
        {
            var name = sched.Arg(0, "a scheduler").ToLowerInvariant();
            s.Scheduler = Schedulers.Contains(name) ? name : throw new ImportException(sched.Where, $"scheduler '{name}' is not one of: {string.Join(", ", Schedulers)}");
        }
        foreach (var flag in new[] { "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback" })
        {
            if (scope.Own(flag) is { } f)
            {
                s.Notes.Add($"{f.Where}: scheduler flag {flag} has no equivalent yet: not set");
            }
        }
        if (scope.Own("persistence_timeout") is { } pt)
        {
            // Without a value keepalived uses 6 minutes.
            var seconds = pt.Args.Count > 0 ? ImportValues.Integer(pt.Args[0], pt.Where, "persistence_timeout", 0, 30 * 86400) : 360;
            s.Persistence = seconds == 0 ? null : ImportValues.Duration(seconds);
        }
        if (scope.Own("persistence_granularity") is { } pg)
        {
            s.Netmask = s.Persistence is null ? null : pg.Arg(0, "a netmask");
            if (s.Persistence is null)
            {
                s.Notes.Add($"{pg.Where}: persistence_granularity without persistence_timeout has no effect: not written");
            }
        }
        if (scope.Own("persistence_engine") is { } pe)
        {
            s.PersistenceEngine = s.Persistence is null ? null : pe.Arg(0, "an engine");
        }
        if (scope.Own("ops") is { } ops)
        {
            if (protocol == "udp" && m.Fwmark is null)
            {
                s.OnePacket = true;
            }
            else
            {
                s.Notes.Add($"{ops.Where}: ops (one-packet scheduling) is for UDP services: not set");
            }
        }
        QuorumAndSorry(s, scope, m);
        foreach (var (k, why) in new[]
        {
            ("ha_suspend", "ipvs-checkd checks whether or not the VIP is configured on this director: not imported"),
            ("smtp_alert", "e-mail alerts: use the alerts section (command or webhook): not imported"),
            ("quorum_up", "use an alert hook (alerts section): quorum changes are alert events: not imported"),
            ("quorum_down", "use an alert hook (alerts section): quorum changes are alert events: not imported"),
            ("omega", "no equivalent (ipvs-checkd raises no down events at its own stop): not imported"),
            ("snmp_name", "no SNMP in ipvs-checkd (Prometheus metrics carry the service name): not imported"),
        })
        {
            if (scope.Own(k) is { } n)
            {
                s.Notes.Add($"{n.Where}: {n.Text}: {why}");
            }
        }
    }

    private static void QuorumAndSorry(ImportedService s, KaScope scope, KaMember m)
    {
        var quorumNode = scope.Own("quorum");
        var quorum = quorumNode is null ? 1 : (int)ImportValues.Integer(quorumNode.Arg(0, "a weight"), quorumNode.Where, "quorum");
        var hysteresis = scope.Own("hysteresis") is { } h ? (int)ImportValues.Integer(h.Arg(0, "a weight"), h.Where, "hysteresis") : 0;
        if (scope.Own("sorry_server") is { } sorry)
        {
            var a = ImportValues.Address(sorry.Arg(0, "an address"), sorry.Where, "sorry_server");
            var port = sorry.Args.Count > 1 ? ImportValues.Port(sorry.Args[1], sorry.Where, "sorry_server port") : m.Port;
            s.SorryServer = m.Fwmark is not null && port == 0 ? a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString() : ImportValues.EndPoint(a, port);
            if (scope.Own("sorry_server_lvs_method") is { } sm && KeepalivedServices.Forward(sm, s.Notes) != s.Forward)
            {
                s.Notes.Add($"{sm.Where}: sorry_server_lvs_method {sm.Args[0]}: ipvs-checkd adds the sorry server with the service's forward method ({s.Forward})");
            }
            if (scope.Own("sorry_server_inhibit") is { } si)
            {
                s.Notes.Add($"{si.Where}: sorry_server_inhibit: ipvs-checkd quiesces realservers while the sorry server serves and removes the sorry server when quorum is back: not imported");
            }
        }
        // keepalived's quorum defaults to 1; ipvs-checkd's quorum is off unless written, and the sorry server needs it.
        if (quorumNode is not null || s.SorryServer is not null || hysteresis > 0)
        {
            if (quorum == 0 && hysteresis > 0)
            {
                s.Notes.Add($"{scope.Own("hysteresis")!.Where}: hysteresis with quorum 0 has no effect: not written");
                hysteresis = 0;
            }
            s.Quorum = quorum;
            s.Hysteresis = hysteresis > 0 ? hysteresis : null;
        }
    }

    /// <summary>on_failure and forward: the same on every realserver goes up to the service.</summary>
    private static void Lift(ImportedService s, KaScope scope)
    {
        var serviceOnFailure = scope.Flag("inhibit_on_failure") == true ? "quiesce" : "remove";
        var common = CheckFactoring.Common(s.RealServers, r => r.OnFailure);
        s.OnFailure = common ?? serviceOnFailure;
        foreach (var r in s.RealServers)
        {
            if (r.OnFailure == s.OnFailure)
            {
                r.OnFailure = null;
            }
            if (r.Forward == s.Forward)
            {
                r.Forward = null;
            }
        }
    }
}
