namespace Ipvs.Daemon.Import;

/// <summary>A keepalived token: a word, '{', '}', or the end of a line (statements end there).</summary>
internal readonly record struct KaToken(KaTokenKind Kind, string Text, SourceLine Where);

internal enum KaTokenKind
{
    Word,
    Open,
    Close,
    EndOfLine,
}
