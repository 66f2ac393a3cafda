using System.Globalization;
using System.Net;

namespace Ipvs.Daemon.Import;

/// <summary>ldirectord's ADDRESS[:PORT|:SERVICE] and [IPv6]:PORT spellings, and its real= line.</summary>
internal static class LdAddress
{
    private static readonly Dictionary<string, int> Services = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ftp"] = 21, ["ssh"] = 22, ["telnet"] = 23, ["smtp"] = 25, ["domain"] = 53, ["http"] = 80, ["www"] = 80,
        ["pop3"] = 110, ["nntp"] = 119, ["imap"] = 143, ["imap2"] = 143, ["ldap"] = 389, ["https"] = 443,
        ["submission"] = 587, ["ldaps"] = 636, ["imaps"] = 993, ["pop3s"] = 995, ["ms-sql-s"] = 1433, ["oracle"] = 1521,
        ["radius"] = 1812, ["mysql"] = 3306, ["postgresql"] = 5432, ["sip"] = 5060, ["http-alt"] = 8080,
    };

    public static (IPAddress Address, int? Port) Parse(string text, SourceLine where, string what)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ImportException(where, $"{what}: '{text}' has no closing ']'");
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw new ImportException(where, $"{what}: '{text}': expected :PORT after ']'");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                host = text[..colon];
                port = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }
        var address = ImportValues.Address(host, where, what);
        return (address, port is null ? null : Port(port, where, what));
    }

    public static int Port(string text, SourceLine where, string what)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return ImportValues.Port(text, where, what);
        }
        return Services.TryGetValue(text, out var p) ? p : throw new ImportException(where, $"{what}: '{text}' is not a port number or a service name the import knows");
    }

    /// <summary>Splits a real= value into words; "quoted strings" stay whole, commas between them are dropped.</summary>
    public static List<string> Words(string value, SourceLine where)
    {
        var words = new List<string>();
        var i = 0;
        while (i < value.Length)
        {
            if (char.IsWhiteSpace(value[i]) || value[i] == ',')
            {
                i++;
                continue;
            }
            if (value[i] == '"')
            {
                var end = value.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new ImportException(where, "a quoted string is not closed");
                }
                words.Add(value[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < value.Length && !char.IsWhiteSpace(value[i]) && value[i] != ',')
            {
                i++;
            }
            words.Add(value[start..i]);
        }
        return words;
    }
}
