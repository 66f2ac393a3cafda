using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ipvs.Daemon.Import;

/// <summary>ldirectord.cf → <see cref="ImportedConfig"/>: every virtual= section becomes a virtual service.</summary>
internal static class LdirectordImporter
{
    private static readonly HashSet<string> GlobalKeys = new(StringComparer.Ordinal)
    {
        "checktimeout", "negotiatetimeout", "connecttimeout", "checkinterval", "checkcount", "failurecount", "autoreload", "callback",
        "fallback", "fallback6", "fallbackcommand", "logfile", "emailalert", "emailalertfrom", "emailalertfreq", "emailalertstatus",
        "smtp", "execute", "supervised", "fork", "quiescent", "readdquiescent", "cleanstop", "maintenancedir",
    };

    private static readonly HashSet<string> VirtualKeys = new(StringComparer.Ordinal)
    {
        "real", "real6", "checktype", "service", "checkcommand", "checkport", "request", "receive", "httpmethod", "virtualhost",
        "login", "passwd", "database", "secret", "scheduler", "persistent", "netmask", "protocol", "monitorfile", "ops",
        "checktimeout", "negotiatetimeout", "connecttimeout", "checkinterval", "checkcount", "failurecount", "fallback", "fallback6",
        "fallbackcommand", "emailalert", "emailalertfreq", "emailalertstatus", "quiescent", "cleanstop", "smtp", "readdquiescent",
    };

    public static ImportedConfig Import(string path)
    {
        var (globals, virtuals) = LdirectordReader.Read(path);
        var config = new ImportedConfig("ldirectord", path);
        foreach (var g in globals)
        {
            GlobalNote(g, config);
        }
        // cleanstop defaults to yes: ldirectord removes its services when it stops.
        var cleanstop = globals.LastOrDefault(g => g.Key == "cleanstop");
        config.OnExit = cleanstop is null || LdSettings.YesNo(cleanstop) ? "remove" : "keep";
        var fork = globals.LastOrDefault(g => g.Key == "fork") is { } f && LdSettings.YesNo(f);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in virtuals)
        {
            config.Services.Add(Service(v, new LdSettings(v.Options, globals), fork, names));
        }
        return config;
    }

    private static void GlobalNote(LdEntry g, ImportedConfig config)
    {
        var why = g.Key switch
        {
            "autoreload" or "callback" => "ipvs-checkd reloads on SIGHUP or POST /api/v1/reload (validating first)",
            "logfile" or "supervised" => "ipvs-checkd logs to the journal / stderr",
            "emailalert" or "emailalertfrom" or "emailalertfreq" or "emailalertstatus" or "smtp" => "alerts are commands or webhooks in the alerts section (one per failed host, resend interval)",
            "execute" => "import that configuration separately",
            "fork" => "ipvs-checkd runs every check concurrently without processes",
            "maintenancedir" => "use drain/maintenance (ipvs-checkd maintenance VS RS or --host ADDR), which persist across restarts",
            "readdquiescent" => "ipvs-checkd re-adds a quiesced realserver removed behind its back as kernel.drift says (revert by default)",
            "fallbackcommand" => "use an alert hook: quorum lost/restored are alert events",
            "checkcount" => "use failurecount (fall)",
            _ => null,
        };
        if (why is not null)
        {
            config.Notes.Add($"{g.Where}: {g.Key}={g.Text}: {why}: not imported");
        }
        else if (!GlobalKeys.Contains(g.Key))
        {
            config.Notes.Add($"{g.Where}: '{g.Key}' is not a global setting the import knows: ignored");
        }
    }

    private static ImportedService Service(LdVirtual v, LdSettings set, bool fork, HashSet<string> names)
    {
        var s = new ImportedService();
        foreach (var o in v.Options.Where(o => !VirtualKeys.Contains(o.Key)))
        {
            s.Notes.Add($"{o.Where}: '{o.Key}' is not a virtual setting the import knows: ignored");
        }
        var header = v.Header;
        var isMark = header.Text.All(char.IsAsciiDigit);
        IPAddress? vip = null;
        var vport = 0;
        if (isMark)
        {
            s.Fwmark = ImportValues.Integer(header.Text, header.Where, "virtual (firewall mark)", 1, uint.MaxValue);
        }
        else
        {
            var (a, p) = LdAddress.Parse(header.Text, header.Where, header.Key);
            vip = a;
            vport = p ?? throw new ImportException(header.Where, $"{header.Key}={header.Text}: a port is needed (ADDRESS:PORT), or a firewall mark alone");
        }
        var protocol = Protocol(set.Own("protocol"), isMark, vport);
        if (!isMark)
        {
            s.Address = ImportValues.EndPoint(vip!, vport);
            s.Protocol = protocol;
        }
        s.Name = Unique(isMark ? "fwmark-" + s.Fwmark!.Value.ToString(CultureInfo.InvariantCulture) : s.Address + (protocol == "tcp" ? "" : "/" + protocol), names);
        s.Scheduler = set.Own("scheduler")?.Text.ToLowerInvariant() ?? "wrr";
        if (set.Own("persistent") is { } pers)
        {
            var seconds = ImportValues.Integer(pers.Text, pers.Where, "persistent", 0, 30 * 86400);
            s.Persistence = seconds > 0 ? ImportValues.Duration(seconds) : null;
            s.Netmask = s.Persistence is null ? null : set.Own("netmask")?.Text;
        }
        if (set.Own("ops") is { } ops && LdSettings.YesNo(ops))
        {
            if (protocol == "udp" && !isMark)
            {
                s.OnePacket = true;
            }
            else
            {
                s.Notes.Add($"{ops.Where}: ops is for UDP services: not set");
            }
        }
        s.OnFailure = set.YesNo("quiescent") ?? true ? "quiesce" : "remove";
        if (set.Own("checkinterval") is { } ci && !fork)
        {
            s.Notes.Add($"{ci.Where}: ldirectord honours a per-virtual checkinterval only with fork=yes; ipvs-checkd honours it: interval {ImportValues.Duration(ImportValues.Seconds(ci.Text, ci.Where, "checkinterval"))}");
        }
        foreach (var k in new[] { "fallbackcommand", "emailalert", "emailalertfreq", "emailalertstatus", "smtp", "monitorfile", "readdquiescent", "cleanstop", "checkcount" })
        {
            if (set.Own(k) is { } e)
            {
                s.Notes.Add($"{e.Where}: {k} in a virtual section: no per-service equivalent: not imported");
            }
        }
        var reals = v.Options.Where(o => o.Key is "real" or "real6").ToList();
        var context = new LdRealContext(vip, vport, isMark ? s.Fwmark : null, protocol, set);
        foreach (var r in reals)
        {
            s.RealServers.AddRange(LdirectordReals.Import(r, context));
        }
        s.Notes.AddRange(context.ServiceNotes.Distinct());
        Fallback(s, set, vport, isMark);
        s.Forward = CheckFactoring.Common(s.RealServers, r => r.Forward) ;
        foreach (var r in s.RealServers.Where(r => r.Forward == s.Forward))
        {
            r.Forward = null;
        }
        CheckFactoring.Apply(s);
        return s;
    }

    private static string Protocol(LdEntry? e, bool isMark, int vport)
    {
        if (e is null)
        {
            return isMark ? "fwm" : vport == 53 ? "udp" : "tcp";
        }
        var p = e.Text.ToLowerInvariant();
        return p switch
        {
            "tcp" or "udp" or "sctp" when !isMark => p,
            "fwm" when isMark => p,
            _ => throw new ImportException(e.Where, isMark ? $"protocol={e.Text}: a firewall-mark virtual takes protocol=fwm" : $"protocol={e.Text}: an ADDRESS:PORT virtual takes tcp, udp or sctp"),
        };
    }

    private static void Fallback(ImportedService s, LdSettings set, int vport, bool isMark)
    {
        var fb = set.Find(s.Address?.StartsWith('[') == true ? "fallback6" : "fallback") ?? set.Find("fallback");
        if (fb is null)
        {
            return;
        }
        var words = LdAddress.Words(fb.Text, fb.Where);
        var (a, p) = LdAddress.Parse(words[0], fb.Where, "fallback");
        var port = p ?? vport;
        s.SorryServer = isMark && port == 0 ? (a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString()) : ImportValues.EndPoint(a, port);
        // ldirectord adds the fallback when no realserver is up: quorum 1 in weight units.
        s.Quorum = 1;
        if (words.Count > 1)
        {
            var method = LdirectordReals.Forward(words[1], fb.Where);
            var serviceForward = CheckFactoring.Common(s.RealServers, r => r.Forward);
            if (method != serviceForward)
            {
                s.Notes.Add($"{fb.Where}: fallback forwarding {words[1]}: ipvs-checkd adds the sorry server with the service's forward method");
            }
        }
    }

    private static string Unique(string name, HashSet<string> names)
    {
        var n = name;
        for (var i = 2; !names.Add(n); i++)
        {
            n = name + "-" + i.ToString(CultureInfo.InvariantCulture);
        }
        return n;
    }
}
