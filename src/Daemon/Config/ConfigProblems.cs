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

    /// <summary>Problems in file order, as an operator reads them.</summary>
    public IReadOnlyList<ConfigProblem> Sorted() =>
        [.. _items.OrderBy(p => p.Line).ThenBy(p => p.Column).ThenBy(p => p.Field, StringComparer.Ordinal)];
}
