using System.Globalization;
using System.Text.RegularExpressions;
using Ipvs.Checks;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>Reads the options of each check kind into that kind's spec (the checks library's records).</summary>
internal static class CheckSpecReader
{
    private static readonly Dictionary<string, HttpCheckMethod> Methods = new(StringComparer.Ordinal) { ["GET"] = HttpCheckMethod.Get, ["HEAD"] = HttpCheckMethod.Head };
    private static readonly Dictionary<string, HttpCheckVersion> Versions = new(StringComparer.Ordinal) { ["1.1"] = HttpCheckVersion.Http11, ["1.0"] = HttpCheckVersion.Http10 };
    private static readonly Dictionary<string, DnsQueryType> QueryTypes = Enum.GetValues<DnsQueryType>().ToDictionary(t => t.ToString(), t => t, StringComparer.Ordinal);

    public static CheckSpec? Read(string type, ConfigMap map, ConfigProblems problems) => type switch
    {
        "tcp" => new TcpCheckSpec(),
        "http" => Http(map, problems, tls: null),
        "https" => Http(map, problems, Tls(map) ?? new TlsOptions()),
        "expect" => Expect(map, problems),
        "smtp" => ExpectCheckSpec.Smtp(map.String("helo") ?? "ipvs-checkd") with { Tls = map.Bool("tls") == true ? Tls(map) ?? new TlsOptions() : null },
        "dns" => Dns(map),
        "udp" => Udp(map, problems),
        "icmp" => new IcmpCheckSpec { PayloadSize = map.Int("payload_size", 0, 65000) ?? 56 },
        "exec" => Exec(map, problems),
        "agent" => Agent(map, problems),
        _ => null,
    };

    private static AgentCheckSpec Agent(ConfigMap map, ConfigProblems problems)
    {
        var send = map.String("send");
        if (send is not null && (send.Length > 512 || send.Any(c => c is '\r' or '\n' || c > 0x7e)))
        {
            problems.Add(map.Raw("send"), map.Field("send"), "send is one line of ASCII, at most 512 characters (the newline is added)");
        }
        return new AgentCheckSpec { Send = send, DownWhenUnreachable = map.Bool("down_when_unreachable") ?? false };
    }

    private static HttpCheckSpec Http(ConfigMap map, ConfigProblems problems, TlsOptions? tls)
    {
        var spec = new HttpCheckSpec { Tls = tls };
        var path = map.String("path");
        if (path is not null && !path.StartsWith('/'))
        {
            problems.Add(map.Raw("path"), map.Field("path"), $"'{path}' must start with '/'");
        }
        else if (path is not null && path.Any(c => c is ' ' or '\r' or '\n'))
        {
            problems.Add(map.Raw("path"), map.Field("path"), "the path must not contain spaces or line breaks (percent-encode them)");
        }
        var method = map.String("method");
        HttpCheckMethod m = HttpCheckMethod.Get;
        if (method is not null && !Methods.TryGetValue(method.ToUpperInvariant(), out m))
        {
            problems.Add(map.Raw("method"), map.Field("method"), $"'{method}' is not one of: GET, HEAD");
        }
        spec = spec with
        {
            Path = path ?? "/",
            Method = m,
            Host = map.String("host"),
            Headers = Headers(map, problems),
            ExpectStatus = Status(map, problems),
            MaxBodyBytes = map.Int("max_body", 0, 16 * 1024 * 1024) ?? spec.MaxBodyBytes,
            Version = map.Choice("http_version", Versions) ?? HttpCheckVersion.Http11,
        };
        var body = map.String("body");
        var regex = map.String("body_regex");
        var digest = map.String("digest");
        var count = (body is null ? 0 : 1) + (regex is null ? 0 : 1) + (digest is null ? 0 : 1);
        if (count > 1)
        {
            problems.Add(map.Raw("body") ?? map.Raw("body_regex"), map.Field(body is null ? "body_regex" : "body"), "choose one of body, body_regex, digest");
        }
        if (regex is not null && !ValidRegex(regex, out var err))
        {
            problems.Add(map.Raw("body_regex"), map.Field("body_regex"), err!);
        }
        if (digest is not null && (digest.Length != 32 || !digest.All(char.IsAsciiHexDigit)))
        {
            problems.Add(map.Raw("digest"), map.Field("digest"), "digest must be an MD5 in hex (32 characters)");
        }
        var match = body is not null ? BodyMatch.Substring(body) : regex is not null ? BodyMatch.Regex(regex) : digest is not null ? BodyMatch.Digest(digest.ToLowerInvariant()) : null;
        return spec with { BodyMatch = match };
    }

    private static ValueList<HttpHeader> Headers(ConfigMap map, ConfigProblems problems)
    {
        var headers = map.Map("headers");
        if (headers is null)
        {
            return ValueList<HttpHeader>.Empty;
        }
        var list = new List<HttpHeader>();
        foreach (var (k, v) in headers.Node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            var value = (v as YamlScalarNode)?.Value;
            if (name.Length == 0 || name.Any(c => c is ':' or ' ' or '\r' or '\n') || value is null || value.Any(c => c is '\r' or '\n'))
            {
                problems.Add(k, headers.Field(name), "a header is NAME: value, with no ':' or space in the name and no line break in either");
                continue;
            }
            list.Add(new HttpHeader(name, value));
        }
        return ValueList.From(list);
    }

    private static ValueList<StatusRange> Status(ConfigMap map, ConfigProblems problems)
    {
        var items = map.Scalars("expect_status");
        if (items is null)
        {
            return HttpCheckSpec.DefaultStatus;
        }
        var list = new List<StatusRange>();
        foreach (var item in items)
        {
            var text = item.Value ?? "";
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            var ok = dash < 0
                ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var from) & (from is >= 100 and <= 599) && Add(list, from, from)
                : int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out from)
                  && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                  && from is >= 100 and <= 599 && to >= from && to <= 599 && Add(list, from, to);
            if (!ok)
            {
                problems.Add(item, map.Field("expect_status"), $"'{text}' is not a status code or range (100..599, e.g. 200 or 200-299)");
            }
        }
        return list.Count == 0 ? HttpCheckSpec.DefaultStatus : ValueList.From(list);
    }

    private static bool Add(List<StatusRange> list, int from, int to)
    {
        list.Add(new StatusRange(from, to));
        return true;
    }

    private static TlsOptions? Tls(ConfigMap map)
    {
        var sni = map.String("sni");
        var verify = map.Bool("verify");
        var verifyName = map.Bool("verify_name");
        var cert = map.String("client_cert");
        var key = map.String("client_key");
        var resume = map.Bool("tls_resume");
        if (sni is null && verify is null && verifyName is null && cert is null && key is null && resume is null)
        {
            return null;
        }
        return new TlsOptions { Sni = sni, Verify = verify ?? true, VerifyName = verifyName ?? true, ClientCertificate = cert, ClientKey = key, ResumeSessions = resume ?? true };
    }

    private static ExpectCheckSpec Expect(ConfigMap map, ConfigProblems problems)
    {
        var seq = map.Sequence("steps");
        var steps = new List<ExpectStep>();
        if (seq is null)
        {
            problems.Add(map.Raw("type"), map.Field("steps"), "an expect check needs steps (a list of send: / expect: / expect_regex: / send_hex: / expect_hex:)");
        }
        else
        {
            for (var i = 0; i < seq.Children.Count; i++)
            {
                var step = ExpectStepReader.Read(seq.Children[i], $"{map.Field("steps")}[{i}]", problems);
                if (step is not null)
                {
                    steps.Add(step);
                }
            }
        }
        var tls = map.Bool("tls") == true ? Tls(map) ?? new TlsOptions() : null;
        return new ExpectCheckSpec { Steps = ValueList.From(steps), Tls = tls, MaxReadBytes = map.Int("max_read", 1, 1024 * 1024) ?? 16 * 1024 };
    }

    private static DnsCheckSpec Dns(ConfigMap map) => new()
    {
        QueryName = map.String("name") ?? ".",
        QueryType = map.Choice("query_type", QueryTypes) ?? DnsQueryType.SOA,
        Tcp = map.Bool("tcp") ?? false,
        ExpectedAnswer = map.String("expect"),
    };

    private static UdpCheckSpec Udp(ConfigMap map, ConfigProblems problems)
    {
        var payload = map.String("payload");
        var payloadHex = map.String("payload_hex");
        if (payload is not null && payloadHex is not null)
        {
            problems.Add(map.Raw("payload_hex"), map.Field("payload_hex"), "choose one of payload, payload_hex");
        }
        if (payloadHex is not null && !ExpectStepReader.IsHex(payloadHex))
        {
            problems.Add(map.Raw("payload_hex"), map.Field("payload_hex"), "not hex bytes (e.g. \"0a ff 00\")");
        }
        var expect = map.String("expect");
        var expectHex = map.String("expect_hex");
        var expectRegex = map.String("expect_regex");
        if ((expect is null ? 0 : 1) + (expectHex is null ? 0 : 1) + (expectRegex is null ? 0 : 1) > 1)
        {
            problems.Add(map.Raw("expect_hex") ?? map.Raw("expect_regex"), map.Field(expectHex is null ? "expect_regex" : "expect_hex"), "choose one of expect, expect_hex, expect_regex");
        }
        if (expectRegex is not null && !ValidRegex(expectRegex, out var err))
        {
            problems.Add(map.Raw("expect_regex"), map.Field("expect_regex"), err!);
        }
        var noUnreachable = map.Bool("no_icmp_unreachable") ?? false;
        if (noUnreachable && (expect ?? expectHex ?? expectRegex) is not null)
        {
            problems.Add(map.Raw("no_icmp_unreachable"), map.Field("no_icmp_unreachable"), "no_icmp_unreachable passes on silence, so an expected reply would never be read: choose one");
        }
        return new UdpCheckSpec
        {
            Payload = payloadHex ?? payload ?? "",
            PayloadFormat = payloadHex is null ? DataFormat.Text : DataFormat.Hex,
            ExpectReply = expectHex ?? expectRegex ?? expect,
            ExpectFormat = expectHex is not null ? DataFormat.Hex : expectRegex is not null ? DataFormat.Regex : DataFormat.Text,
            PassOnNoIcmpUnreachable = noUnreachable,
        };
    }

    private static ExecCheckSpec? Exec(ConfigMap map, ConfigProblems problems)
    {
        var command = map.String("command");
        if (string.IsNullOrWhiteSpace(command))
        {
            problems.Add(map.Raw("command") ?? map.Raw("type"), map.Field("command"), "an exec check needs a command");
            return null;
        }
        var args = map.Scalars("args")?.Select(s => s.Value ?? "").ToList() ?? [];
        var spec = new ExecCheckSpec
        {
            Command = command,
            Arguments = ValueList.From(args),
            User = map.String("user"),
            DynamicWeight = map.Bool("dynamic_weight") ?? false,
            MaxOutputBytes = map.Int("max_output", 0, 1024 * 1024) ?? 4096,
        };
        // A user the daemon cannot switch to is not an error in the file (the same file may serve a director where
        // it works), but every run of the check would fail to start: say it once now, not only in each result.
        if (spec.UserProblem() is { } why)
        {
            problems.Warn(map.KeyNode("user"), map.Field("user"), why + "; every run of this check will be an error (the check could not run), which moves neither rise nor fall");
        }
        return spec;
    }

    internal static bool ValidRegex(string pattern, out string? error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = "not a valid regular expression: " + e.Message;
            return false;
        }
    }
}
