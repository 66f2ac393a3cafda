namespace Ipvs.Daemon.Import;

/// <summary>One <c>key = value</c> line of ldirectord.cf.</summary>
internal sealed record LdEntry(string Key, string Value, SourceLine Where)
{
    /// <summary>The value without the double quotes ldirectord allows around it.</summary>
    public string Text => Value.Length >= 2 && Value[0] == '"' && Value[^1] == '"' ? Value[1..^1] : Value;
}
