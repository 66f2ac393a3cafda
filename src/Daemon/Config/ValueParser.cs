using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ipvs.Daemon.Config;

/// <summary>Text forms an operator writes in the config: durations ("2s", "500ms", "1m30s") and addresses ("10.0.0.1:80", "[2001:db8::1]:80").</summary>
internal static class ValueParser
{
    /// <summary>Parses a duration: one or more number+unit pairs (ms, s, m, h), or a bare "0".</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }
        if (s.Length == 0)
        {
            error = "empty duration";
            return false;
        }
        double totalMs = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            if (start == i)
            {
                error = $"'{text}' is not a duration (write e.g. 2s, 500ms, 1m, 1h)";
                return false;
            }
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                error = $"'{text}' is not a duration (write e.g. 2s, 500ms, 1m, 1h)";
                return false;
            }
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }
            var unit = s[unitStart..i];
            double scale = unit switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => -1,
            };
            if (scale < 0)
            {
                error = unit.Length == 0
                    ? $"'{text}' needs a unit (write e.g. {text}s or {text}ms)"
                    : $"'{text}': unknown unit '{unit}' (use ms, s, m, h)";
                return false;
            }
            totalMs += n * scale;
        }
        if (totalMs > TimeSpan.FromDays(365).TotalMilliseconds)
        {
            error = $"'{text}' is too long";
            return false;
        }
        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>Operator's spelling of a duration, the inverse of <see cref="TryParseDuration"/> for whole milliseconds.</summary>
    public static string FormatDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }
        var ms = (long)d.TotalMilliseconds;
        if (ms % 3_600_000 == 0)
        {
            return (ms / 3_600_000).ToString(CultureInfo.InvariantCulture) + "h";
        }
        if (ms % 60_000 == 0)
        {
            return (ms / 60_000).ToString(CultureInfo.InvariantCulture) + "m";
        }
        return ms % 1000 == 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Parses "ADDR:PORT" or "[V6]:PORT". When <paramref name="portRequired"/> is false a bare address gets port 0.</summary>
    public static bool TryParseEndPoint(string text, bool portRequired, out IPEndPoint? value, out string? error)
    {
        value = null;
        error = null;
        var s = text.Trim();
        string host;
        string? port = null;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}': missing ']' after the IPv6 address";
                return false;
            }
            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{text}': expected ':PORT' after ']'";
                    return false;
                }
                port = rest[1..];
            }
        }
        else
        {
            var colons = s.Count(c => c == ':');
            if (colons > 1)
            {
                error = $"'{text}': write an IPv6 address with a port as [ADDRESS]:PORT";
                return false;
            }
            var idx = s.IndexOf(':', StringComparison.Ordinal);
            host = idx < 0 ? s : s[..idx];
            port = idx < 0 ? null : s[(idx + 1)..];
        }
        if (!TryParseAddress(host, out var address, out error))
        {
            return false;
        }
        if (port is null)
        {
            if (portRequired)
            {
                error = $"'{text}': a port is needed (ADDRESS:PORT)";
                return false;
            }
            value = new IPEndPoint(address!, 0);
            return true;
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
        {
            error = $"'{text}': port must be 1..65535";
            return false;
        }
        value = new IPEndPoint(address!, p);
        return true;
    }

    /// <summary>Parses a literal IPv4 or IPv6 address (no host names: a director's config must not depend on DNS).</summary>
    public static bool TryParseAddress(string text, out IPAddress? value, out string? error)
    {
        error = null;
        var s = text.Trim();
        if (s.StartsWith('[') && s.EndsWith(']'))
        {
            s = s[1..^1];
        }
        // IPAddress.TryParse accepts "10" and "1.2.3" as IPv4; an operator never means those.
        if (!IPAddress.TryParse(s, out value) || (value.AddressFamily == AddressFamily.InterNetwork && s.Count(c => c == '.') != 3))
        {
            value = null;
            error = $"'{text}' is not an IP address";
            return false;
        }
        return true;
    }
}
