namespace Ipvs.Daemon.Import;

/// <summary>One keepalived statement: a keyword, its arguments, and the block that followed it, if any.</summary>
internal sealed class KaNode(string keyword, SourceLine where)
{
    public string Keyword { get; } = keyword;

    public SourceLine Where { get; } = where;

    public List<string> Args { get; } = [];

    /// <summary>The statements of its { } block; null when the statement had none.</summary>
    public List<KaNode>? Children { get; set; }

    public string Arg(int i, string what) =>
        i < Args.Count ? Args[i] : throw new ImportException(Where, $"{Keyword}: {what} is missing");

    public string Text => Args.Count == 0 ? Keyword : Keyword + " " + string.Join(' ', Args);
}
