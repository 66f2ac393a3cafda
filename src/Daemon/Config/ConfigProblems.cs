using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>
/// Collects the problems of one config file. The same node can be judged several times (a default check is merged
/// into every realserver), so a problem at the same place with the same words is kept once.
/// </summary>
internal sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _items = [];
    private readonly HashSet<ConfigProblem> _seen = [];
    private readonly Dictionary<string, (ConfigProblem First, HashSet<(long, long)> Places)> _warnings = new(StringComparer.Ordinal);

    public ConfigProblems(string file) => File = file;

    public string File { get; }

    public IReadOnlyList<ConfigProblem> Items => _items;

    public bool Any => _items.Count > 0;

    public void Add(YamlNode? node, string field, string message) =>
        Add(node?.Start.Line ?? 1, node?.Start.Column ?? 1, field, message);

    public void Add(long line, long column, string field, string message)
    {
        var p = new ConfigProblem(File, line, column, field, message);
        if (_seen.Add(p))
        {
            _items.Add(p);
        }
    }

    /// <summary>
    /// Something that loads but will not work as written. Said once per distinct message, at its first place, with a
    /// count of the other places: a default check merged into every realserver, or the same key in many services,
    /// makes one line, not hundreds.
    /// </summary>
    public void Warn(YamlNode? node, string field, string message)
    {
        var line = node?.Start.Line ?? 1;
        var column = node?.Start.Column ?? 1;
        if (_warnings.TryGetValue(message, out var seen))
        {
            seen.Places.Add((line, column));
            return;
        }
        _warnings[message] = (new ConfigProblem(File, line, column, field, message), [(line, column)]);
    }

    /// <summary>Warnings as <c>file:line:column: field: message</c>, in file order.</summary>
    public IEnumerable<string> Warnings() => _warnings.Values
        .OrderBy(w => w.First.Line).ThenBy(w => w.First.Column)
        .Select(w => w.Places.Count > 1 ? $"{w.First} (and {w.Places.Count - 1} more place(s) with the same setting)" : w.First.ToString());

    /// <summary>Problems in file order, as an operator reads them.</summary>
    public IReadOnlyList<ConfigProblem> Sorted() =>
        [.. _items.OrderBy(p => p.Line).ThenBy(p => p.Column).ThenBy(p => p.Field, StringComparer.Ordinal)];
}
