namespace Ipvs.Daemon.Import;

/// <summary>One keepalived real_server → one realserver with its checks: every checker, every url.</summary>
internal static class KeepalivedRealServers
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "weight", "lvs_method", "notify_up", "notify_down", "uthreshold", "lthreshold", "smtp_alert", "virtualhost", "snmp_name",
        "alpha", "connect_timeout", "retry", "delay_before_retry", "warmup", "delay_loop", "inhibit_on_failure", "nb_get_retry",
    };

    public static ImportedRealServer Import(KaNode node, KaScope vsScope, KaMember service, string protocol, string serviceForward, KaNode? ssl)
    {
        var body = node.Children ?? [];
        var scope = new KaScope(body.Where(n => n.Children is null), vsScope);
        var notes = new List<string>();
        var address = ImportValues.Address(node.Arg(0, "an address"), node.Where, "real_server");
        var writtenPort = node.Args.Count > 1 ? ImportValues.Port(node.Args[1], node.Where, "real_server port") : service.Port;
        var forward = KeepalivedServices.Forward(scope.Own("lvs_method"), notes) ?? serviceForward;

        // With dr/tun the kernel sends packets to the service's port whatever the realserver entry says; the config
        // asks for the service's port, and the check keeps going where keepalived's went (the port written).
        var port = writtenPort;
        if (service.Fwmark is null && forward is "dr" or "tun" && writtenPort != service.Port)
        {
            port = service.Port;
            notes.Add($"{node.Where}: real_server port {writtenPort} with lvs_method {forward.ToUpperInvariant()}: the kernel uses the service's port {service.Port}; written as {service.Port}, the check still goes to port {writtenPort}");
        }
        // A fwmark service's realserver may have no port (it keeps the client's); the config then leaves it out.
        var written = service.Fwmark is not null && port == 0
            ? (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())
            : ImportValues.EndPoint(address, port);
        var rs = new ImportedRealServer(written)
        {
            Forward = forward,
            OnFailure = scope.Flag("inhibit_on_failure") == true ? "quiesce" : "remove",
        };
        var weight = scope.Own("weight") is { } w ? (int)ImportValues.Integer(w.Arg(0, "a weight"), w.Where, "weight", 0, 65535) : 1;
        rs.Weight = weight;
        if (scope.Own("uthreshold") is { } ut)
        {
            rs.UpperThreshold = ImportValues.Integer(ut.Arg(0, "a number"), ut.Where, "uthreshold");
        }
        if (scope.Own("lthreshold") is { } lt)
        {
            rs.LowerThreshold = ImportValues.Integer(lt.Arg(0, "a number"), lt.Where, "lthreshold");
        }
        foreach (var n in body)
        {
            if (n.Children is null && !Known.Contains(n.Keyword))
            {
                notes.Add($"{n.Where}: '{n.Keyword}' is not a real_server setting the import knows: ignored");
            }
            else if (n.Keyword is "notify_up" or "notify_down")
            {
                notes.Add($"{n.Where}: {n.Keyword}: per-realserver scripts become one alert hook for all (alerts section, with one alert per failed host): not imported");
            }
            else if (n.Keyword is "smtp_alert" or "snmp_name")
            {
                notes.Add($"{n.Where}: {n.Keyword}: no equivalent per realserver: not imported");
            }
            else if (n.Children is not null && !KeepalivedChecks.Kinds.Contains(n.Keyword))
            {
                notes.Add($"{n.Where}: '{n.Keyword}' is not a checker the import knows: skipped");
            }
        }

        var checkers = body.Where(n => n.Children is not null && KeepalivedChecks.Kinds.Contains(n.Keyword)).ToList();
        var usable = checkers.Where(c => c.Keyword is not ("BFD_CHECK" or "FILE_CHECK")).ToList();
        foreach (var c in checkers.Except(usable))
        {
            notes.Add($"{c.Where}: {c.Keyword} has no equivalent: not imported");
        }
        var ctx = new KaCheckContext(address, writtenPort, protocol, service.Fwmark is not null, scope, node.Where, notes, ssl);
        if (usable.Count == 0)
        {
            var kind = protocol switch { "udp" => "UDP_CHECK", "sctp" => "PING_CHECK", _ => "TCP_CHECK" };
            notes.Add($"{node.Where}: keepalived does not check a real_server without a checker (it stays up); ipvs-checkd checks every realserver: {kind} chosen (for always-up write check: {{ type: exec, command: /bin/true }})");
            rs.Checks.Add(KeepalivedChecks.Build(new KaNode(kind, node.Where), ctx));
        }
        else
        {
            // keepalived takes a real_server out when any of its checkers fails: each becomes a check of its own.
            foreach (var checker in usable)
            {
                rs.Checks.AddRange(KeepalivedChecks.BuildAll(checker, ctx));
            }
            RemoveDuplicates(rs.Checks, notes, node.Where);
        }
        foreach (var check in rs.Checks)
        {
            if (port != writtenPort && check.Get("port") is null && check.Type is not ("icmp" or "exec"))
            {
                check.Set("port", writtenPort);
            }
        }
        // Checks of one checker share its settings: a note about one of them is said once.
        rs.Notes.AddRange(notes.Distinct(StringComparer.Ordinal));
        return rs;
    }

    /// <summary>Two checkers that come out the same (a url written twice) are one check: the config refuses duplicates.</summary>
    private static void RemoveDuplicates(List<ImportedCheck> checks, List<string> notes, SourceLine where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < checks.Count; i++)
        {
            var text = string.Join("\u0004", checks[i].Options.Where(o => o.Key is not ("interval" or "timeout" or "rise" or "fall" or "fast_interval"))
                .Select(o => o.Key + "=" + ImportedCheck.Canonical(o.Value)));
            if (!seen.Add(text))
            {
                notes.Add($"{where}: two checkers of this real_server check the same ({checks[i].Type}, {checks[i].Get("path") ?? checks[i].Get("command") ?? "same target"}): written once");
                checks.RemoveAt(i--);
            }
        }
    }
}
