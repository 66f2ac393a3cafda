namespace Ipvs.Daemon.Import;

/// <summary>
/// keepalived's inheritance of checker options: a virtual_server's value is the default for its real_servers,
/// a real_server's for its checkers. A scope is one level's statements with a link to the level above.
/// </summary>
internal sealed class KaScope
{
    private readonly Dictionary<string, KaNode> _own = new(StringComparer.Ordinal);

    public KaScope(IEnumerable<KaNode>? statements, KaScope? parent)
    {
        Parent = parent;
        foreach (var s in statements ?? [])
        {
            _own[s.Keyword] = s;
        }
    }

    public KaScope? Parent { get; }

    public KaNode? Own(string keyword) => _own.GetValueOrDefault(keyword);

    public KaNode? Find(string keyword) => Own(keyword) ?? Parent?.Find(keyword);

    public double? Seconds(string keyword) => Find(keyword) is { } n ? ImportValues.Seconds(n.Arg(0, "a number of seconds"), n.Where, keyword) : null;

    public long? Integer(string keyword, long max = int.MaxValue) => Find(keyword) is { } n ? ImportValues.Integer(n.Arg(0, "a number"), n.Where, keyword, 0, max) : null;

    /// <summary>A keepalived flag: present without a value means on; otherwise yes/no, true/false, on/off, 1/0.</summary>
    public bool? Flag(string keyword) => Find(keyword) is { } n ? FlagValue(n) : null;

    public static bool FlagValue(KaNode n)
    {
        if (n.Args.Count == 0)
        {
            return true;
        }
        return n.Args[0].ToLowerInvariant() switch
        {
            "yes" or "true" or "on" or "1" => true,
            "no" or "false" or "off" or "0" => false,
            _ => throw new ImportException(n.Where, $"{n.Keyword}: '{n.Args[0]}' is not a yes/no value"),
        };
    }
}
