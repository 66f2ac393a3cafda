using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ipvs.Daemon.Import;

/// <summary>Spellings both importers share: endpoints, durations, numbers read from the source with a line to blame.</summary>
internal static class ImportValues
{
    public static string EndPoint(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Seconds (possibly fractional, as keepalived's timers are) in the config's duration spelling.</summary>
    public static string Duration(double seconds)
    {
        var ms = (long)Math.Round(seconds * 1000);
        if (ms == 0)
        {
            return "0";
        }
        if (ms % 3_600_000 == 0)
        {
            return (ms / 3_600_000).ToString(CultureInfo.InvariantCulture) + "h";
        }
        if (ms % 60_000 == 0 && ms >= 120_000)
        {
            return (ms / 60_000).ToString(CultureInfo.InvariantCulture) + "m";
        }
        return ms % 1000 == 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    public static IPAddress Address(string text, SourceLine where, string what)
    {
        var t = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (!IPAddress.TryParse(t, out var a) || (t.Contains('.', StringComparison.Ordinal) && t.Count(c => c == '.') != 3 && a.AddressFamily == AddressFamily.InterNetwork))
        {
            throw new ImportException(where, $"{what}: '{text}' is not an IP address" + (t.Any(char.IsAsciiLetter) && !t.Contains(':', StringComparison.Ordinal) ? " (host names are not resolved by the import: write the address)" : ""));
        }
        return a;
    }

    public static int Port(string text, SourceLine where, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
        {
            throw new ImportException(where, $"{what}: '{text}' is not a port (0..65535)");
        }
        return p;
    }

    public static long Integer(string text, SourceLine where, string what, long min = 0, long max = int.MaxValue)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new ImportException(where, $"{what}: '{text}' is not a whole number in {min}..{max}");
        }
        return n;
    }

    /// <summary>Seconds as keepalived writes timers (decimals allowed, microsecond resolution).</summary>
    public static double Seconds(string text, SourceLine where, string what)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) || s < 0 || s > 366 * 86400)
        {
            throw new ImportException(where, $"{what}: '{text}' is not a number of seconds");
        }
        return s;
    }

    public static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
