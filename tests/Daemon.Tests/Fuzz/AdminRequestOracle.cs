using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ipvs.Daemon.Tests.Fuzz;

/// <summary>
/// The admin calls raw HTTP/1.1 bytes may cause, read independently of the daemon: for each request in order (the
/// bytes may hold several), the call it asks for when it is well formed — method exactly <c>POST</c>, a known route
/// with its literals in their case (after the percent-decoding and dot-segment removal any server does), one Host,
/// exactly one <c>Authorization: Bearer TOKEN</c>, and for weight a body that is exactly <c>{"weight": N|null}</c>.
/// It stops at the first request it cannot frame. A call the daemon makes must be one of these, in this order.
/// </summary>
internal static partial class AdminRequestOracle
{
    public static List<string> ExpectedCalls(byte[] raw, string token)
    {
        var calls = new List<string>();
        var text = Encoding.Latin1.GetString(raw);
        var at = 0;
        while (at < text.Length)
        {
            var end = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }
            var lines = text[at..end].Split("\r\n");
            var headers = new List<(string Name, string Value)>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    return calls;
                }
                headers.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            }
            var length = 0;
            var lengths = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToList();
            if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) || lengths.Count > 1
                || (lengths.Count == 1 && !int.TryParse(lengths[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
            {
                return calls;
            }
            var bodyStart = end + 4;
            if (bodyStart + length > text.Length)
            {
                return calls;
            }
            var body = raw.AsSpan(bodyStart, length).ToArray();
            at = bodyStart + length;
            if (Call(lines[0], headers, body, token) is { } call)
            {
                calls.Add(call);
            }
        }
        return calls;
    }

    private static string? Call(string requestLine, List<(string Name, string Value)> headers, byte[] body, string token)
    {
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0] != "POST" || parts[2] != "HTTP/1.1")
        {
            return null;
        }
        var auth = headers.Where(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).ToList();
        if (headers.Count(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)) != 1 || auth.Count != 1
            || !auth[0].Value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || auth[0].Value[7..].Trim() != token)
        {
            return null;
        }
        var target = parts[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = Normalize(query < 0 ? target : target[..query]);
        if (path is null)
        {
            return null;
        }
        if (RealServerVerb().Match(path) is { Success: true } rs)
        {
            return $"state {rs.Groups[1].Value} {rs.Groups[2].Value} {rs.Groups[3].Value}";
        }
        if (HostVerb().Match(path) is { Success: true } host)
        {
            return $"host {host.Groups[1].Value} {host.Groups[2].Value}";
        }
        if (Weight().Match(path) is { Success: true } weight)
        {
            return WeightOf(body) is { } w ? $"weight {weight.Groups[1].Value} {weight.Groups[2].Value} {w}" : null;
        }
        if (ReleaseHold().Match(path) is { Success: true } hold)
        {
            return $"release-hold {hold.Groups[1].Value}";
        }
        if (ReleaseHolds().IsMatch(path))
        {
            return "release-holds";
        }
        return Reload().IsMatch(path) ? "reload" : null;
    }

    private static string? WeightOf(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count() != 1 || !root.TryGetProperty("weight", out var w))
            {
                return null;
            }
            if (w.ValueKind == JsonValueKind.Null)
            {
                return "null";
            }
            return w.ValueKind == JsonValueKind.Number && w.TryGetInt32(out var n) && n is >= 0 and <= 65535 ? n.ToString(CultureInfo.InvariantCulture) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Percent-decoding (but %2F stays a character of its segment, as Kestrel keeps it) and RFC 3986 dot segments.
    private static string? Normalize(string path)
    {
        if (!path.StartsWith('/'))
        {
            return null;
        }
        var decoded = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && byte.TryParse(path.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b) && b is not (0x2F or 0))
            {
                decoded.Append((char)b);
                i += 2;
            }
            else
            {
                decoded.Append(path[i]);
            }
        }
        var output = new List<string>();
        foreach (var segment in decoded.ToString().Split('/').Skip(1))
        {
            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (segment != ".")
            {
                output.Add(segment);
            }
        }
        return "/" + string.Join('/', output);
    }

    [GeneratedRegex("^/api/v1/virtual-services/([^/]+)/realservers/([^/]+)/(drain|ready|maintenance)/?$")]
    private static partial Regex RealServerVerb();

    [GeneratedRegex("^/api/v1/hosts/([^/]+)/(drain|ready|maintenance)/?$")]
    private static partial Regex HostVerb();

    [GeneratedRegex("^/api/v1/virtual-services/([^/]+)/realservers/([^/]+)/weight/?$")]
    private static partial Regex Weight();

    [GeneratedRegex("^/api/v1/virtual-services/([^/]+)/release-hold/?$")]
    private static partial Regex ReleaseHold();

    [GeneratedRegex("^/api/v1/release-holds/?$")]
    private static partial Regex ReleaseHolds();

    [GeneratedRegex("^/api/v1/reload/?$")]
    private static partial Regex Reload();
}
