using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>
/// The check keys written at one level (defaults, virtual service, realserver), merged over the level above:
/// a key written lower wins. When a level names a different <c>type</c>, the options of the kind above are dropped
/// and only the kind-independent ones (interval, timeout, rise, fall, ...) carry on. Every value keeps its node, so
/// a problem is reported where the value was written, whichever level it came from.
/// </summary>
internal sealed class CheckLayer
{
    private readonly Dictionary<string, Entry> _entries;

    private CheckLayer(Dictionary<string, Entry> entries) => _entries = entries;

    public static CheckLayer Empty { get; } = new(new Dictionary<string, Entry>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, Entry> Entries => _entries;

    public string? Type => _entries.TryGetValue("type", out var e) && e.Value is YamlScalarNode s ? s.Value : null;

    /// <summary>The mapping written lowest that shaped this check (where a problem of the whole check is reported); null for the built-in one.</summary>
    public YamlNode? Where { get; private init; }

    /// <summary>Only the keys every kind shares (interval, timeout, address, ...): what a list item inherits from above.</summary>
    public CheckLayer Shared()
    {
        var shared = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (k, e) in _entries)
        {
            if (k != "type" && CheckKeys.Common.Contains(k))
            {
                shared[k] = e;
            }
        }
        return new CheckLayer(shared) { Where = Where };
    }

    /// <summary>This layer with <paramref name="below"/> (a check mapping written one level down) laid over it.</summary>
    public CheckLayer Over(YamlMappingNode? below, string path)
    {
        if (below is null)
        {
            return this;
        }
        var childType = below.Children.TryGetValue(new YamlScalarNode("type"), out var t) && t is YamlScalarNode ts ? ts.Value : null;
        var keepKindOptions = childType is null || childType == Type;
        var merged = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (k, e) in _entries)
        {
            if (keepKindOptions || CheckKeys.Common.Contains(k))
            {
                merged[k] = e;
            }
        }
        foreach (var (keyNode, value) in below.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "?";
            merged[key] = new Entry(keyNode, value, path + "." + key);
        }
        return new CheckLayer(merged) { Where = below };
    }

    /// <summary>A mapping node of the merged keys, for reading with <see cref="ConfigMap"/>; field names stay those of where each key was written.</summary>
    public ConfigMap ToMap(string path, ConfigProblems problems)
    {
        var node = new YamlMappingNode();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, e) in _entries)
        {
            node.Children.Add(e.Key, e.Value);
            fields[k] = e.Field;
        }
        return new ConfigMap(node, path, problems, fields);
    }

    internal readonly record struct Entry(YamlNode Key, YamlNode Value, string Field);
}
