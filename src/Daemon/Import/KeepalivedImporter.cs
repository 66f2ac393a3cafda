namespace Ipvs.Daemon.Import;

/// <summary>
/// keepalived.conf → <see cref="ImportedConfig"/>: the LVS part (virtual_server, virtual_server_group, SSL) is
/// imported; VRRP and the other sections are skipped with a note, since keepalived can keep doing them beside
/// ipvs-checkd.
/// </summary>
internal static class KeepalivedImporter
{
    private static readonly HashSet<string> NetworkSections = new(StringComparer.Ordinal)
    {
        "static_ipaddress", "static_routes", "static_rules", "linkbeat_interfaces", "garp_group", "track_file",
        "track_process", "interface_up_down_delays", "bfd_instance", "net_namespace", "instance",
    };

    public static ImportedConfig Import(string path)
    {
        var config = new ImportedConfig("keepalived", path);
        var nodes = KeepalivedReader.Read(path, config.Notes);
        var groups = new Dictionary<string, KaNode>(StringComparer.Ordinal);
        var services = new List<KaNode>();
        KaNode? ssl = null;
        var vrrp = new List<string>();
        foreach (var n in nodes)
        {
            switch (n.Keyword)
            {
                case "virtual_server_group":
                    var name = n.Arg(0, "the group name");
                    if (!groups.TryAdd(name, n))
                    {
                        throw new ImportException(n.Where, $"virtual_server_group {name} is defined twice (first at {groups[name].Where})");
                    }
                    break;
                case "virtual_server":
                    services.Add(n);
                    break;
                case "SSL":
                    ssl = n;
                    break;
                case "global_defs":
                    GlobalDefs(n, config);
                    break;
                default:
                    if (n.Keyword.StartsWith("vrrp_", StringComparison.Ordinal))
                    {
                        vrrp.Add($"{n.Where} {n.Text}");
                    }
                    else if (NetworkSections.Contains(n.Keyword))
                    {
                        config.Notes.Add($"{n.Where}: {n.Text} skipped: network setup is not ipvs-checkd's (keepalived can keep doing it)");
                    }
                    else
                    {
                        config.Notes.Add($"{n.Where}: '{n.Keyword}' is not a section the import knows: skipped");
                    }
                    break;
            }
        }
        if (vrrp.Count > 0)
        {
            config.Notes.Add($"VRRP skipped ({string.Join("; ", vrrp)}): ipvs-checkd does not do VRRP. Keep keepalived for it beside ipvs-checkd, started with --vrrp so that only its VRRP part runs and it leaves IPVS to ipvs-checkd");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vs in services)
        {
            config.Services.AddRange(KeepalivedServices.Import(vs, groups, ssl, names));
        }
        if (config.Services.Any(s => s.Checks.Any(c => c.Type is "http" or "https" or "smtp") || s.RealServers.Any(r => r.Checks.Any(c => c.Type is "http" or "https" or "smtp"))))
        {
            config.Notes.Add("keepalived's connect_timeout bounds each step of an HTTP/SMTP check (connect, each read); ipvs-checkd's timeout bounds the whole check: the same number was kept, which is stricter for slow responses");
        }
        return config;
    }

    private static void GlobalDefs(KaNode n, ImportedConfig config)
    {
        config.Notes.Add($"{n.Where}: global_defs skipped (router id, notification e-mail, VRRP and process settings are not ipvs-checkd's; for alerts see the alerts section of the configuration reference)");
        foreach (var s in n.Children ?? [])
        {
            if (s.Keyword.StartsWith("lvs_", StringComparison.Ordinal) || s.Keyword.StartsWith("checker_", StringComparison.Ordinal))
            {
                var what = s.Keyword switch
                {
                    "lvs_flush" or "lvs_flush_onstop" => "ipvs-checkd never flushes the IPVS table; kernel.on_exit says what happens to its services on stop",
                    "lvs_timeouts" => "set the IPVS connection timeouts with ipvsadm --set at boot",
                    "lvs_sync_daemon" => "run the IPVS sync daemon with ipvsadm --start-daemon",
                    _ => "no equivalent",
                };
                config.Notes.Add($"{s.Where}: {s.Text}: {what}");
            }
        }
    }
}
