using System.Globalization;
using System.Text;

namespace Ipvs.Daemon.Import;

/// <summary>How one scalar is spelt in the written YAML: plain when that is unambiguous, double-quoted otherwise.</summary>
internal static class YamlText
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", ".nan", "-.inf", "+.inf",
    };

    public static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int or long => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        string s => String(s),
        _ => String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>
    /// Plain only for a conservative character set that reads back as the same string in block and flow context
    /// (no spaces, commas, brackets, '#', quotes) and that no YAML resolver could take for a number, bool or null.
    /// </summary>
    public static string String(string s)
    {
        if (IsPlainSafe(s))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || Reserved.Contains(s) || LooksNumeric(s))
        {
            return false;
        }
        if (!(char.IsAsciiLetterOrDigit(s[0]) || s[0] is '/' or '_' or '.'))
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '.' or '-' or ':' or '@' or '+' or '='))
            {
                return false;
            }
        }
        // ':' at the end would start a mapping value.
        return !s.EndsWith(':');
    }

    private static bool LooksNumeric(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
        || s.Contains(':', StringComparison.Ordinal) && s.Split(':').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)); // YAML 1.1 sexagesimal (1:30)

    /// <summary>A comment line's text: one line, nothing that would end it early.</summary>
    public static string Comment(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
