using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>
/// One YAML mapping being read: typed getters that report a bad value at its own line and column, and remember which
/// keys were read so that <see cref="RejectUnknown"/> can name every key nobody asked for (a typo must not pass).
/// </summary>
internal sealed class ConfigMap
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string>? _fields;

    /// <summary>When set (per thread), collects every key any mapping asks for: the loader's vocabulary, which a
    /// test holds against the configuration reference.</summary>
    [ThreadStatic]
    internal static HashSet<string>? KeysAsked;

    /// <param name="fields">Where each key was written, when the mapping was merged from several levels.</param>
    public ConfigMap(YamlMappingNode node, string path, ConfigProblems problems, IReadOnlyDictionary<string, string>? fields = null)
    {
        Node = node;
        Path = path;
        Problems = problems;
        _fields = fields;
    }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    public ConfigProblems Problems { get; }

    public string Field(string key) =>
        _fields is not null && _fields.TryGetValue(key, out var f) ? f : Path.Length == 0 ? key : Path + "." + key;

    /// <summary>Reads a mapping that must be one, or reports what it is instead. Null nodes (absent) give null.</summary>
    public static ConfigMap? From(YamlNode? node, string path, ConfigProblems problems)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode m:
                return new ConfigMap(m, path, problems);
            case YamlScalarNode s when IsNull(s):
                return null;
            default:
                problems.Add(node, path, "expected a mapping (key: value)");
                return null;
        }
    }

    public static bool IsNull(YamlScalarNode s) =>
        s.Style == YamlDotNet.Core.ScalarStyle.Plain && (s.Value is null or "" or "~" or "null");

    public bool Has(string key) => Raw(key) is not null;

    /// <summary>The raw node under a key (marks the key known).</summary>
    public YamlNode? Raw(string key)
    {
        _known.Add(key);
        KeysAsked?.Add(key);
        return Node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    public YamlNode? KeyNode(string key) =>
        Node.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);

    public string? String(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }
        if (node is YamlScalarNode s)
        {
            return IsNull(s) ? null : s.Value;
        }
        Problems.Add(node, Field(key), "expected a single value");
        return null;
    }

    public int? Int(string key, int min, int max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            Problems.Add(Raw(key), Field(key), $"'{text}' is not a whole number");
            return null;
        }
        if (v < min || v > max)
        {
            Problems.Add(Raw(key), Field(key), $"{v} is out of range {min}..{max}");
            return null;
        }
        return v;
    }

    public double? Double(string key, double min, double max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            Problems.Add(Raw(key), Field(key), $"'{text}' is not a number");
            return null;
        }
        if (v < min || v > max)
        {
            Problems.Add(Raw(key), Field(key), $"{text} is out of range {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return v;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        switch (text)
        {
            case null:
                return null;
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Problems.Add(Raw(key), Field(key), $"'{text}' is not true or false");
                return null;
        }
    }

    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (!ValueParser.TryParseDuration(text, out var d, out var error))
        {
            Problems.Add(Raw(key), Field(key), error!);
            return null;
        }
        if (d < min || d > max)
        {
            Problems.Add(Raw(key), Field(key), $"{text} is out of range {ValueParser.FormatDuration(min)}..{ValueParser.FormatDuration(max)}");
            return null;
        }
        return d;
    }

    /// <summary>One of a fixed set of words, each defined once by the caller.</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (choices.TryGetValue(text, out var v))
        {
            return v;
        }
        Problems.Add(Raw(key), Field(key), $"'{text}' is not one of: {string.Join(", ", choices.Keys)}");
        return null;
    }

    public IPEndPoint? EndPoint(string key, bool portRequired)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (!ValueParser.TryParseEndPoint(text, portRequired, out var ep, out var error))
        {
            Problems.Add(Raw(key), Field(key), error!);
            return null;
        }
        return ep;
    }

    public IPAddress? Address(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }
        if (!ValueParser.TryParseAddress(text, out var a, out var error))
        {
            Problems.Add(Raw(key), Field(key), error!);
            return null;
        }
        return a;
    }

    public ConfigMap? Map(string key) => From(Raw(key), Field(key), Problems);

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Raw(key);
        switch (node)
        {
            case null:
                return null;
            case YamlSequenceNode seq:
                return seq;
            case YamlScalarNode s when IsNull(s):
                return null;
            default:
                Problems.Add(node, Field(key), "expected a list");
                return null;
        }
    }

    /// <summary>A list of single values; a lone value is taken as a list of one.</summary>
    public IReadOnlyList<YamlScalarNode>? Scalars(string key)
    {
        var node = Raw(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode s:
                return IsNull(s) ? null : [s];
            case YamlSequenceNode seq:
                var list = new List<YamlScalarNode>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode si)
                    {
                        list.Add(si);
                    }
                    else
                    {
                        Problems.Add(item, Field(key), "expected a single value in this list");
                    }
                }
                return list;
            default:
                Problems.Add(node, Field(key), "expected a value or a list of values");
                return null;
        }
    }

    /// <summary>Reports every key that no getter asked for.</summary>
    public void RejectUnknown(string? hint = null)
    {
        foreach (var key in Node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!_known.Contains(name))
            {
                var near = Nearest(name);
                var msg = near is null ? "unknown key" : $"unknown key (did you mean '{near}'?)";
                Problems.Add(key, Field(name), hint is null ? msg : msg + "; " + hint);
            }
        }
    }

    private string? Nearest(string name)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var k in _known)
        {
            var d = Levenshtein(name, k);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
