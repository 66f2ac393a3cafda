namespace Ipvs.Daemon.Import;

/// <summary>
/// One keepalived checker → one ipvs-checkd check. The schedule is keepalived's: every <c>delay_loop</c>; a
/// server is down after <c>retry</c>+1 consecutive failures spaced by <c>delay_before_retry</c> (fall, fast_interval)
/// and up again on the first success (rise 1).
/// </summary>
internal static class KeepalivedChecks
{
    public static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        "TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "MISC_CHECK", "BFD_CHECK", "FILE_CHECK",
    };

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "connect_ip", "connect_port", "bindto", "bind_if", "bind_port", "fwmark", "alpha", "connect_timeout", "retry", "nb_get_retry",
        "delay_before_retry", "warmup", "delay_loop", "log_all_failures",
    };

    private static readonly Dictionary<string, HashSet<string>> Own = new(StringComparer.Ordinal)
    {
        ["TCP_CHECK"] = [],
        ["HTTP_GET"] = ["http_protocol", "fast_recovery", "url", "virtualhost", "enable_sni", "sni_name", "tls_compliant"],
        ["SSL_GET"] = ["http_protocol", "fast_recovery", "url", "virtualhost", "enable_sni", "sni_name", "tls_compliant"],
        ["SMTP_CHECK"] = ["helo_name", "host"],
        ["DNS_CHECK"] = ["type", "name"],
        ["UDP_CHECK"] = ["payload", "require_reply", "min_reply_length", "max_reply_length"],
        ["PING_CHECK"] = [],
        ["MISC_CHECK"] = ["misc_path", "misc_timeout", "misc_dynamic", "user"],
    };

    private static readonly HashSet<string> DnsTypes = new(StringComparer.Ordinal) { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA" };

    /// <summary>
    /// Every check a checker stands for: one per url of HTTP_GET/SSL_GET and one per host of SMTP_CHECK (keepalived
    /// takes the realserver out when any of them fails), else one.
    /// </summary>
    public static List<ImportedCheck> BuildAll(KaNode checker, KaCheckContext ctx)
    {
        var parts = checker.Keyword switch
        {
            "HTTP_GET" or "SSL_GET" => KeepalivedHttp.Urls(checker).Count,
            "SMTP_CHECK" => (checker.Children ?? []).Count(n => n.Keyword == "host" && n.Children is not null),
            _ => 1,
        };
        var checks = new List<ImportedCheck>();
        for (var i = 0; i < Math.Max(parts, 1); i++)
        {
            checks.Add(Build(checker, ctx, i));
        }
        return checks;
    }

    /// <param name="part">The url (HTTP_GET, SSL_GET) or host (SMTP_CHECK) block this check is for.</param>
    public static ImportedCheck Build(KaNode checker, KaCheckContext ctx, int part = 0)
    {
        var kind = checker.Keyword;
        var notes = ctx.Notes;
        var body = checker.Children ?? [];
        var scope = new KaScope(body.Where(n => n.Children is null), ctx.RealServerScope);
        foreach (var n in body)
        {
            if (!Common.Contains(n.Keyword) && !Own[kind].Contains(n.Keyword))
            {
                notes.Add($"{n.Where}: '{n.Keyword}' is not a {kind} setting the import knows: ignored");
            }
        }
        var type = kind switch
        {
            "TCP_CHECK" => "tcp",
            "HTTP_GET" => "http",
            "SSL_GET" => "https",
            "SMTP_CHECK" => "smtp",
            "DNS_CHECK" => "dns",
            "UDP_CHECK" => "udp",
            "PING_CHECK" => "icmp",
            _ => "exec",
        };
        var check = new ImportedCheck(type);
        Schedule(check, kind, scope, checker, notes);

        // Where the check goes. SMTP_CHECK's older host { } sub-blocks carry the same keys.
        var target = scope;
        if (kind == "SMTP_CHECK" && body.Where(n => n.Keyword == "host" && n.Children is not null).ToList() is { Count: > 0 } hosts)
        {
            target = new KaScope(hosts[part].Children, scope);
        }
        if (kind != "MISC_CHECK")
        {
            Target(check, type, target, ctx, notes);
        }

        switch (kind)
        {
            case "HTTP_GET" or "SSL_GET":
                KeepalivedHttp.Apply(check, checker, scope, ctx, part);
                break;
            case "SMTP_CHECK":
                if (scope.Own("helo_name") is { } helo)
                {
                    check.Set("helo", helo.Arg(0, "a name"));
                }
                break;
            case "DNS_CHECK":
                Dns(check, scope);
                break;
            case "UDP_CHECK":
                KeepalivedUdp.Apply(check, scope, notes);
                break;
            case "MISC_CHECK":
                Misc(check, checker, scope, notes);
                break;
        }
        return check;
    }

    /// <summary>interval, timeout, rise, fall, fast_interval.</summary>
    private static void Schedule(ImportedCheck check, string kind, KaScope scope, KaNode checker, List<string> notes)
    {
        var loop = scope.Seconds("delay_loop") ?? 60;
        if (loop < 0.1 || loop > 3600)
        {
            var clamped = Math.Clamp(loop, 0.1, 3600);
            notes.Add($"{scope.Find("delay_loop")!.Where}: delay_loop {ImportValues.Seconds(loop)} is outside ipvs-checkd's interval range (100ms..1h): interval {ImportValues.Duration(clamped)}");
            loop = clamped;
        }
        check.Set("interval", ImportValues.Duration(loop));

        var timeout = kind == "MISC_CHECK" ? scope.Seconds("misc_timeout") ?? loop : scope.Seconds("connect_timeout") ?? 5;
        if (timeout > loop)
        {
            var what = kind == "MISC_CHECK" ? "misc_timeout" : "connect_timeout";
            var where = scope.Find(what)?.Where ?? checker.Where;
            notes.Add($"{where}: {what} {ImportValues.Seconds(timeout)}{(scope.Find(what) is null ? " (keepalived's default)" : "")} is longer than delay_loop {ImportValues.Seconds(loop)}; ipvs-checkd does not let runs of a check overlap: timeout {ImportValues.Duration(loop)}");
            timeout = loop;
        }
        check.Set("timeout", ImportValues.Duration(Math.Max(timeout, 0.01)));

        var retry = scope.Integer("retry") ?? scope.Integer("nb_get_retry") ?? kind switch { "DNS_CHECK" => 3, "MISC_CHECK" => 0, _ => 1 };
        if (retry > 99)
        {
            notes.Add($"{scope.Find("retry")?.Where ?? checker.Where}: retry {retry} is more than ipvs-checkd's largest fall (100): fall 100");
            retry = 99;
        }
        check.Set("rise", 1);
        check.Set("fall", (int)retry + 1);
        if (retry > 0)
        {
            var delay = scope.Seconds("delay_before_retry") ?? kind switch { "DNS_CHECK" => loop, "HTTP_GET" or "SSL_GET" => 3, _ => 1 };
            delay = Math.Clamp(delay, 0.1, 3600);
            if (Math.Abs(delay - loop) > 0.0005)
            {
                check.Set("fast_interval", ImportValues.Duration(delay));
            }
        }
        if (scope.Find("warmup") is { } warmup)
        {
            notes.Add($"{warmup.Where}: warmup (a random delay before the first check only) has no equivalent: not imported");
        }
        if (scope.Find("alpha") is { } alpha && KaScope.FlagValue(alpha))
        {
            notes.Add($"{alpha.Where}: alpha (start realservers down): ipvs-checkd leaves a realserver as the kernel has it until its first result, which then decides; a realserver not yet in the kernel is added only once its check passes");
        }
        if (scope.Find("log_all_failures") is { } log)
        {
            notes.Add($"{log.Where}: log_all_failures: ipvs-checkd logs state changes and keeps every last result in /api/v1/status: not imported");
        }
    }

    private static void Target(ImportedCheck check, string type, KaScope scope, KaCheckContext ctx, List<string> notes)
    {
        if (scope.Find("connect_ip") is { } ip)
        {
            var a = ImportValues.Address(ip.Arg(0, "an address"), ip.Where, "connect_ip");
            check.Set("address", a.ToString());
        }
        var port = scope.Find("connect_port") is { } p ? ImportValues.Port(p.Arg(0, "a port"), p.Where, "connect_port") : (int?)null;
        var tcpKind = type is "tcp" or "http" or "https" or "smtp";
        if (port is null && type != "icmp")
        {
            if (ctx.RealServerPort == 0)
            {
                throw new ImportException(ctx.Where,
                    $"the realserver {ctx.RealServerAddress} has no port and its {type} check no connect_port: set connect_port");
            }
            // On a UDP/SCTP service keepalived's TCP checkers still connect to the realserver's port number over TCP
            // (and UDP/DNS checkers on a TCP service send to it over UDP); the config asks for that port explicitly.
            if (!ctx.FirewallMark && ((tcpKind && ctx.Protocol != "tcp") || (type is "udp" && ctx.Protocol == "tcp")))
            {
                port = ctx.RealServerPort;
            }
        }
        if (port is { } pp)
        {
            check.Set("port", pp);
        }
        if (scope.Find("bindto") is { } bind)
        {
            check.Set("source_address", ImportValues.Address(bind.Arg(0, "an address"), bind.Where, "bindto").ToString());
        }
        if (scope.Find("fwmark") is { } mark)
        {
            check.Set("fwmark", ImportValues.Integer(mark.Arg(0, "a mark"), mark.Where, "fwmark", 0, uint.MaxValue >> 1));
        }
        if (scope.Find("bind_port") is { } bp)
        {
            notes.Add($"{bp.Where}: bind_port {string.Join(' ', bp.Args)}: ipvs-checkd lets the kernel choose the source port: not imported");
        }
        if (scope.Find("bind_if") is { } bi)
        {
            notes.Add($"{bi.Where}: bind_if {string.Join(' ', bi.Args)}: no equivalent (the source address picks the interface): not imported");
        }
    }

    private static void Dns(ImportedCheck check, KaScope scope)
    {
        if (scope.Own("name") is { } name)
        {
            check.Set("name", name.Arg(0, "a domain name"));
        }
        if (scope.Own("type") is { } t)
        {
            var qt = t.Arg(0, "a query type").ToUpperInvariant();
            if (!DnsTypes.Contains(qt))
            {
                throw new ImportException(t.Where, $"DNS_CHECK type '{t.Args[0]}' is not one of: {string.Join(", ", DnsTypes)}");
            }
            check.Set("query_type", qt);
        }
    }

    private static void Misc(ImportedCheck check, KaNode checker, KaScope scope, List<string> notes)
    {
        var path = scope.Own("misc_path") ?? throw new ImportException(checker.Where, "MISC_CHECK without misc_path");
        var text = string.Join(' ', path.Args);
        var (command, args, viaShell) = CommandLine.Split(text);
        if (command.Length == 0)
        {
            throw new ImportException(path.Where, "misc_path is empty");
        }
        if (viaShell)
        {
            notes.Add($"{path.Where}: misc_path uses shell syntax: run through /bin/sh -c");
        }
        check.Set("command", command);
        if (args.Count > 0)
        {
            check.Set("args", args);
        }
        if (scope.Own("misc_dynamic") is { } dyn && KaScope.FlagValue(dyn))
        {
            check.Set("dynamic_weight", true);
        }
        if (scope.Own("user") is { } user)
        {
            var spec = string.Join(' ', user.Args);
            var name = spec.Split([':', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            check.Set("user", name);
            if (name != spec.Trim())
            {
                notes.Add($"{user.Where}: user {spec}: ipvs-checkd runs the command as user {name} with that user's group");
            }
        }
    }
}
