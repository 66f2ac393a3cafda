using System.Net;

namespace Ipvs.Daemon.Import;

/// <summary>checktype=negotiate: what each ldirectord service checks, in ipvs-checkd's check kinds.</summary>
internal static class LdirectordServices
{
    public static void Apply(ImportedCheck check, string service, SourceLine where, string? request, string? receive, SourceLine receiveWhere, LdRealContext ctx, List<string> sn)
    {
        var set = ctx.Settings;
        switch (service)
        {
            case "http" or "https":
                Http(check, service, where, request, receive, receiveWhere, set, sn);
                break;
            case "smtp" or "submission":
                check.Set("type", "smtp");
                break;
            case "ftp":
                var user = set.Find("login")?.Text ?? "anonymous";
                var pass = set.Find("passwd")?.Text ?? "ipvs-checkd@localhost";
                Expect(check, [
                    new("expect_regex", "^220"), new("send", $"USER {user}\\r\\n"), new("expect_regex", "^(331|230)"),
                    new("send", $"PASS {pass}\\r\\n"), new("expect_regex", "^230"), new("send", "QUIT\\r\\n"),
                ], tls: false);
                if (request is not null)
                {
                    sn.Add($"{where}: service=ftp: ipvs-checkd logs in and out; fetching the request file and matching receive is not done");
                }
                break;
            case "pop" or "pops":
                Expect(check, Login("+OK", set, (u, p) => [new("send", $"USER {u}\\r\\n"), new("expect", "+OK"), new("send", $"PASS {p}\\r\\n"), new("expect", "+OK")], "QUIT\\r\\n"), service == "pops");
                break;
            case "imap" or "imaps":
                Expect(check, Login("* OK", set, (u, p) => [new("send", $"a1 LOGIN {u} {p}\\r\\n"), new("expect", "a1 OK")], "a2 LOGOUT\\r\\n"), service == "imaps");
                break;
            case "nntp":
                Expect(check, [new("expect_regex", "^20[01]"), new("send", "QUIT\\r\\n")], tls: false);
                break;
            case "dns":
                Dns(check, where, request, receive, receiveWhere, ctx, sn);
                break;
            case "simpletcp":
                if (request is null && receive is null)
                {
                    sn.Add($"{where}: service=simpletcp without request or receive: a TCP connect check");
                    break;
                }
                var steps = new List<ImportedStep>();
                if (request is not null)
                {
                    steps.Add(new("send", request));
                }
                if (receive is not null)
                {
                    steps.Add(new("expect_regex", receive));
                    sn.Add($"{receiveWhere}: receive is a Perl regex in ldirectord and a .NET one in ipvs-checkd: the common syntax means the same");
                }
                Expect(check, steps, tls: false);
                break;
            case "ldap" or "mysql" or "pgsql" or "oracle" or "http_proxy":
                sn.Add($"{where}: service={service} has no protocol check in ipvs-checkd: a TCP connect check (or write an exec check that runs a client)");
                break;
            case "radius" or "sip":
                if (ctx.Protocol == "udp")
                {
                    check.Set("type", "udp");
                    check.Set("no_icmp_unreachable", true);
                }
                sn.Add($"{where}: service={service} has no protocol check in ipvs-checkd: {(ctx.Protocol == "udp" ? "a UDP check that fails on ICMP port unreachable" : "a TCP connect check")}");
                break;
            case "none":
                check.Set("type", "exec");
                check.Set("command", "/bin/true");
                sn.Add($"{where}: service=none (ldirectord's default for port {ctx.VirtualPort}) means not monitored: exec /bin/true, always up; choose a real check");
                break;
            default:
                throw new ImportException(where, $"service={service} is not an ldirectord service the import knows");
        }
    }

    private static void Http(ImportedCheck check, string service, SourceLine where, string? request, string? receive, SourceLine receiveWhere, LdSettings set, List<string> sn)
    {
        check.Set("type", service);
        var path = request ?? "/";
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            // An absolute request overrides the realserver's address and port.
            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
            {
                check.Set("address", ip.ToString());
            }
            else
            {
                check.Set("host", uri.Host);
                sn.Add($"{where}: request {request}: ldirectord connects to {uri.Host}; ipvs-checkd connects to the realserver with Host: {uri.Host}");
            }
            if (!uri.IsDefaultPort)
            {
                check.Set("port", uri.Port);
            }
            path = uri.PathAndQuery;
        }
        else if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }
        check.Set("path", path);
        if (set.Find("httpmethod") is { } m)
        {
            var method = m.Text.ToUpperInvariant();
            check.Set("method", method is "GET" or "HEAD" ? method : throw new ImportException(m.Where, $"httpmethod={m.Text} is not GET or HEAD"));
        }
        if (set.Find("virtualhost") is { } vh)
        {
            check.Set("host", vh.Text);
        }
        // ldirectord passes on any 2xx response (LWP's is_success); ipvs-checkd's default is 200-399.
        check.Set("expect_status", new List<string> { "200-299" });
        if (!string.IsNullOrEmpty(receive))
        {
            check.Set("body_regex", receive);
            sn.Add($"{receiveWhere}: receive is a Perl regex in ldirectord and a .NET one in ipvs-checkd: the common syntax means the same");
        }
        if (service == "https")
        {
            // LWP (ssl_opts verify_hostname => 0) still verifies the chain against the system's CAs.
            check.Set("verify_name", false);
            sn.Add($"{where}: service=https: ldirectord verifies the certificate chain against the system's CAs but not the name: verify_name: false (verify: false accepts any certificate)");
        }
    }

    private static List<ImportedStep> Login(string banner, LdSettings set, Func<string, string, List<ImportedStep>> login, string quit)
    {
        var steps = new List<ImportedStep> { new("expect", banner) };
        if (set.Find("login") is { } u && u.Text.Length > 0)
        {
            steps.AddRange(login(u.Text, set.Find("passwd")?.Text ?? ""));
        }
        steps.Add(new("send", quit));
        return steps;
    }

    private static void Expect(ImportedCheck check, List<ImportedStep> steps, bool tls)
    {
        check.Set("type", "expect");
        check.Set("steps", steps);
        if (tls)
        {
            check.Set("tls", true);
            check.Set("verify", false);
        }
    }

    private static void Dns(ImportedCheck check, SourceLine where, string? request, string? receive, SourceLine receiveWhere, LdRealContext ctx, List<string> sn)
    {
        check.Set("type", "dns");
        if (request is null)
        {
            sn.Add($"{where}: service=dns without request: the query is '.' SOA");
        }
        else if (IPAddress.TryParse(request, out _))
        {
            sn.Add($"{where}: request {request} is a PTR lookup, which ipvs-checkd's dns check does not ask: the query is '.' SOA");
        }
        else
        {
            check.Set("name", request);
            check.Set("query_type", "A");
        }
        if (ctx.Protocol == "tcp")
        {
            check.Set("tcp", true);
        }
        if (!string.IsNullOrEmpty(receive) && request is not null && !IPAddress.TryParse(request, out _))
        {
            check.Set("expect", receive);
            sn.Add($"{receiveWhere}: receive is a regex in ldirectord; ipvs-checkd wants one answer equal to '{receive}'");
        }
    }
}
