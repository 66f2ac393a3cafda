namespace Ipvs.Daemon.Import;

/// <summary>
/// HTTP_GET / SSL_GET: each url { } block becomes an http/https check with its path and expectations (keepalived
/// takes the realserver out when any url fails; ipvs-checkd does when any of its checks fails).
/// </summary>
internal static class KeepalivedHttp
{
    private static readonly HashSet<string> UrlKeys = new(StringComparer.Ordinal)
    {
        "path", "digest", "status_code", "virtualhost", "regex", "regex_no_match", "regex_options", "regex_stack",
        "regex_min_offset", "regex_max_offset", "tls_compliant",
    };

    /// <summary>The url blocks of a checker: one check each.</summary>
    public static List<KaNode> Urls(KaNode checker) =>
        [.. (checker.Children ?? []).Where(n => n.Keyword == "url" && n.Children is not null)];

    /// <param name="part">Which url block this check is for.</param>
    public static void Apply(ImportedCheck check, KaNode checker, KaScope scope, KaCheckContext ctx, int part)
    {
        var notes = ctx.Notes;
        var urls = Urls(checker);
        var url = urls.Count > 0 ? new KaScope(urls[part].Children, scope) : scope;
        if (urls.Count == 0)
        {
            notes.Add($"{checker.Where}: {checker.Keyword} has no url block: path /");
        }
        foreach (var n in urls.Count > 0 ? urls[part].Children ?? [] : [])
        {
            if (!UrlKeys.Contains(n.Keyword))
            {
                notes.Add($"{n.Where}: '{n.Keyword}' is not a url setting the import knows: ignored");
            }
        }

        check.Set("path", url.Own("path")?.Arg(0, "a path") ?? "/");
        if (url.Find("virtualhost") is { } vh)
        {
            check.Set("host", vh.Arg(0, "a host name"));
        }
        var codes = new List<string>();
        if (url.Own("status_code") is { } sc)
        {
            foreach (var a in sc.Args)
            {
                var parts = a.Split('-');
                if (parts.Length > 2 || parts.Any(x => !int.TryParse(x, out var code) || code is < 100 or > 599))
                {
                    throw new ImportException(sc.Where, $"status_code '{a}' is not a status code or range (100..599)");
                }
                codes.Add(a);
            }
        }
        // keepalived's default is 2xx; ipvs-checkd's is 200-399, so it is written out.
        check.Set("expect_status", codes.Count > 0 ? codes : ["200-299"]);

        var digest = url.Own("digest");
        var regex = url.Own("regex");
        if (digest is not null)
        {
            var hex = digest.Arg(0, "an MD5 digest").ToLowerInvariant();
            if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new ImportException(digest.Where, $"digest '{digest.Args[0]}' is not an MD5 in hex (32 characters)");
            }
            check.Set("digest", hex);
            if (regex is not null)
            {
                notes.Add($"{regex.Where}: regex not checked: an ipvs-checkd http check matches the body one way (digest was kept)");
            }
        }
        else if (regex is not null)
        {
            if (url.Own("regex_no_match") is { } nm)
            {
                notes.Add($"{nm.Where}: regex_no_match (fail when the body matches) has no equivalent: the regex '{regex.Arg(0, "a pattern")}' is not checked");
            }
            else
            {
                check.Set("body_regex", regex.Arg(0, "a pattern"));
                notes.Add($"{regex.Where}: regex is a PCRE pattern in keepalived and a .NET pattern in ipvs-checkd: the common syntax means the same; check lookbehinds, possessive quantifiers and options");
            }
        }
        foreach (var k in new[] { "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset" })
        {
            if (url.Own(k) is { } o)
            {
                notes.Add($"{o.Where}: {k} has no equivalent: not imported");
            }
        }

        var protocol = scope.Own("http_protocol")?.Arg(0, "a version") ?? "1.0";
        switch (protocol.ToUpperInvariant())
        {
            case "1.0" or "1.0C" or "1.0K":
                check.Set("http_version", "1.0");
                if (protocol.Length > 3)
                {
                    notes.Add($"{scope.Own("http_protocol")!.Where}: http_protocol {protocol}: HTTP/1.0; ipvs-checkd closes the connection after one request either way");
                }
                break;
            case "1.1":
                break;
            default:
                throw new ImportException(scope.Own("http_protocol")!.Where, $"http_protocol '{protocol}' is not one of: 1.0, 1.0C, 1.0K, 1.1");
        }
        if (scope.Own("fast_recovery") is { } fr)
        {
            notes.Add($"{fr.Where}: fast_recovery: not needed (one url per check, up on the first success): not imported");
        }
        if (checker.Keyword == "SSL_GET")
        {
            Tls(check, scope, ctx);
        }
    }

    private static void Tls(ImportedCheck check, KaScope scope, KaCheckContext ctx)
    {
        // keepalived does not verify the realserver's certificate.
        check.Set("verify", false);
        var sni = scope.Own("sni_name");
        var enable = scope.Own("enable_sni") is { } e && KaScope.FlagValue(e);
        if (sni is not null)
        {
            check.Set("sni", sni.Arg(0, "a name"));
        }
        else if (!enable && check.Get("host") is string host)
        {
            ctx.Notes.Add($"{scope.Own("tls_compliant")?.Where ?? ctx.Where}: keepalived sends no SNI without enable_sni; ipvs-checkd sends the host ({host}) as SNI");
        }
        if (scope.Own("tls_compliant") is { } tc)
        {
            ctx.Notes.Add($"{tc.Where}: tls_compliant: ipvs-checkd ends TLS sessions with close_notify: nothing to import");
        }
        if (ctx.Ssl?.Children is { } ssl)
        {
            var s = new KaScope(ssl, null);
            if (s.Own("certificate") is { } cert)
            {
                check.Set("client_cert", cert.Arg(0, "a file"));
            }
            if (s.Own("key") is { } key)
            {
                check.Set("client_key", key.Arg(0, "a file"));
            }
            if (s.Own("ca") is { } ca)
            {
                ctx.Notes.Add($"{ca.Where}: SSL ca: keepalived does not verify realserver certificates either: verify false");
            }
            if (s.Own("password") is { } pw)
            {
                ctx.Notes.Add($"{pw.Where}: SSL password (for the key): ipvs-checkd reads unencrypted keys: decrypt the key file");
            }
        }
    }
}
