using System.Globalization;

namespace Ipvs.Daemon.Import;

/// <summary>
/// checktype (and for negotiate, service) → one check; checktype=N (a negotiate check after every N connect checks)
/// → two: a connect check every checkinterval and the negotiate check every N checkintervals, both required.
/// ldirectord checks every checkinterval, takes a server out after failurecount failures in a row and back on the
/// first success: interval, fall, rise 1.
/// </summary>
internal static class LdirectordChecks
{
    public static List<ImportedCheck> BuildAll(LdEntry real, LdRealContext ctx, int rsPort, string? request, string? receive)
    {
        var ct = ctx.Settings.Find("checktype");
        if (ct is null || ct.Text.Length == 0 || !ct.Text.All(char.IsAsciiDigit))
        {
            return [Build(real, ctx, rsPort, request, receive)];
        }
        var every = ImportValues.Integer(ct.Text, ct.Where, "checktype", 1, 1000);
        var connect = Build(real, ctx, rsPort, request, receive, "connect");
        var negotiate = Build(real, ctx, rsPort, request, receive, "negotiate");
        var interval = Math.Clamp((ctx.Settings.Seconds("checkinterval") ?? 10) * every, 0.1, 3600);
        negotiate.Set("interval", ImportValues.Duration(interval));
        ctx.ServiceNotes.Add($"{ct.Where}: checktype={ct.Text} (a negotiate check after every {ct.Text} connect checks): two checks, a connect check every checkinterval and the negotiate check every {ImportValues.Duration(interval)}; a failure of either counts");
        var same = connect.Options.Where(o => o.Key != "interval").Select(o => o.Key + "=" + ImportedCheck.Canonical(o.Value))
            .SequenceEqual(negotiate.Options.Where(o => o.Key != "interval").Select(o => o.Key + "=" + ImportedCheck.Canonical(o.Value)));
        return same ? [connect] : [connect, negotiate];
    }

    /// <param name="force">The checktype to build instead of the one written (for checktype=N).</param>
    public static ImportedCheck Build(LdEntry real, LdRealContext ctx, int rsPort, string? request, string? receive, string? force = null)
    {
        var set = ctx.Settings;
        var sn = ctx.ServiceNotes;
        var ct = set.Find("checktype");
        var checktype = force ?? ct?.Text.ToLowerInvariant() ?? "negotiate";
        var serviceEntry = set.Find("service");
        var service = serviceEntry?.Text.ToLowerInvariant() ?? DefaultService(ctx.Fwmark is null ? ctx.VirtualPort : 0);
        var receiveWhere = receive is not null ? real.Where : set.Find("receive")?.Where ?? real.Where;
        request = request ?? set.Find("request")?.Text;
        receive = receive ?? set.Find("receive")?.Text;
        var checkPort = set.Find("checkport") is { } cp ? LdAddress.Port(cp.Text, cp.Where, "checkport") : (int?)null;
        var check = new ImportedCheck("tcp");
        var negotiate = false;
        switch (checktype)
        {
            case "connect":
                check.Set("type", ctx.Protocol == "udp" ? "icmp" : "tcp");
                if (ctx.Protocol == "udp")
                {
                    sn.Add($"{ct!.Where}: checktype=connect on a UDP service: ldirectord pings (icmp)");
                }
                break;
            case "ping":
                check.Set("type", "icmp");
                break;
            case "external" or "external-perl":
                check.Set("type", "exec");
                break;
            case "on" or "off":
                check.Set("type", "exec");
                break;
            case "negotiate":
                negotiate = true;
                break;
            default:
                throw new ImportException(ct!.Where, $"checktype={ct.Text} is not one of: connect, negotiate, external, external-perl, ping, on, off, or a number");
        }
        Schedule(check, set, negotiate ? "negotiate" : checktype, sn, ct?.Where ?? real.Where);
        if (negotiate)
        {
            LdirectordServices.Apply(check, service, serviceEntry?.Where ?? real.Where, request, receive, receiveWhere, ctx, sn);
        }
        else if (checktype is "external" or "external-perl")
        {
            External(check, checktype, set, ctx, sn, real.Where);
        }
        else if (checktype is "on" or "off")
        {
            check.Set("command", checktype == "on" ? "/bin/true" : "/bin/false");
            sn.Add(checktype == "on"
                ? $"{ct!.Where}: checktype=on (no checking, realservers always in): exec /bin/true"
                : $"{ct!.Where}: checktype=off (no checking, realservers never added): exec /bin/false; with quiescent=yes they are in the table at weight 0");
        }
        Target(check, ctx, rsPort, checkPort, real);
        return check;
    }

    internal static string DefaultService(int port) => port switch
    {
        21 => "ftp",
        25 => "smtp",
        53 => "dns",
        80 => "http",
        110 => "pop",
        119 => "nntp",
        143 => "imap",
        389 => "ldap",
        443 => "https",
        587 => "submission",
        993 => "imaps",
        995 => "pops",
        1521 => "oracle",
        1812 => "radius",
        3128 => "http_proxy",
        3306 => "mysql",
        5432 => "pgsql",
        5060 => "sip",
        _ => "none",
    };

    private static void Schedule(ImportedCheck check, LdSettings set, string checktype, List<string> sn, SourceLine where)
    {
        var interval = set.Seconds("checkinterval") ?? 10;
        if (interval < 0.1 || interval > 3600)
        {
            var c = Math.Clamp(interval, 0.1, 3600);
            sn.Add($"{set.Find("checkinterval")!.Where}: checkinterval {ImportValues.Seconds(interval)} is outside ipvs-checkd's range (100ms..1h): {ImportValues.Duration(c)}");
            interval = c;
        }
        check.Set("interval", ImportValues.Duration(interval));
        var timeoutKey = checktype == "negotiate"
            ? (set.Find("negotiatetimeout") is not null ? "negotiatetimeout" : set.Find("connecttimeout") is not null ? "connecttimeout" : set.Find("checktimeout") is not null ? "checktimeout" : null)
            : (set.Find("checktimeout") is not null ? "checktimeout" : set.Find("negotiatetimeout") is not null ? "negotiatetimeout" : null);
        var timeout = timeoutKey is null ? (checktype == "negotiate" ? 30 : 5) : set.Seconds(timeoutKey)!.Value;
        if (timeout > interval)
        {
            var src = timeoutKey is null ? $"the default {(checktype == "negotiate" ? "negotiatetimeout" : "checktimeout")} {ImportValues.Seconds(timeout)}" : $"{timeoutKey} {ImportValues.Seconds(timeout)}";
            sn.Add($"{(timeoutKey is null ? where : set.Find(timeoutKey)!.Where)}: {src} is longer than checkinterval {ImportValues.Seconds(interval)}; ipvs-checkd does not let runs of a check overlap: timeout {ImportValues.Duration(interval)}");
            timeout = interval;
        }
        check.Set("timeout", ImportValues.Duration(Math.Max(timeout, 0.01)));
        var failures = set.Find("failurecount") is { } fc ? ImportValues.Integer(fc.Text, fc.Where, "failurecount", 1, 100) : 1;
        check.Set("rise", 1);
        check.Set("fall", (int)failures);
    }

    private static void External(ImportedCheck check, string checktype, LdSettings set, LdRealContext ctx, List<string> sn, SourceLine where)
    {
        var cmd = set.Find("checkcommand");
        var (command, args, viaShell) = CommandLine.Split(cmd?.Text ?? "/bin/true");
        var vip = ctx.Fwmark is { } mark ? mark.ToString(CultureInfo.InvariantCulture) : ctx.VirtualAddress!.ToString();
        var vport = ctx.VirtualPort.ToString(CultureInfo.InvariantCulture);
        // ldirectord appends: virtual address (or mark), virtual port, realserver address, realserver port.
        var extra = new List<string> { vip, vport, "{rs_address}", "{rs_port}" };
        if (viaShell)
        {
            args = ["-c", args[1] + " \"$@\"", "check", .. extra];
            sn.Add($"{cmd!.Where}: checkcommand uses shell syntax: run through /bin/sh -c with ldirectord's four arguments");
        }
        else
        {
            args.AddRange(extra);
        }
        if (checktype == "external-perl")
        {
            args.Insert(0, command);
            command = "/usr/bin/perl";
            sn.Add($"{cmd?.Where ?? where}: checktype=external-perl: ldirectord evaluates the script inside itself; ipvs-checkd runs it with /usr/bin/perl and the same four arguments");
        }
        check.Set("command", command);
        check.Set("args", args);
    }

    private static void Target(ImportedCheck check, LdRealContext ctx, int rsPort, int? checkPort, LdEntry real)
    {
        var type = (string)check.Get("type")!;
        if (type is "icmp" or "exec" || check.Get("port") is not null)
        {
            return;
        }
        var port = checkPort;
        if (port is null && rsPort == 0)
        {
            throw new ImportException(real.Where, $"{real.Key}={real.Text}: the realserver has no port and the virtual no checkport: set checkport");
        }
        // A TCP kind of check on a UDP service (or the reverse) goes to the same port number; the config asks for it.
        var tcpKind = type is "tcp" or "http" or "https" or "smtp" or "expect";
        if (port is null && ctx.Fwmark is null && ((tcpKind && ctx.Protocol != "tcp") || (type is "udp" && ctx.Protocol == "tcp")))
        {
            port = rsPort;
        }
        if (port is { } p)
        {
            check.Set("port", p);
        }
    }
}
