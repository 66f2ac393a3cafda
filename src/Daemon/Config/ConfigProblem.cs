namespace Ipvs.Daemon.Config;

/// <summary>One thing wrong with a config file, located to the character: <c>file:line:column: field: message</c>.</summary>
internal sealed record ConfigProblem(string File, long Line, long Column, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}
