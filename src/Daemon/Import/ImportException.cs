namespace Ipvs.Daemon.Import;

/// <summary>Something in the source file that cannot be read; the import stops and says where.</summary>
internal sealed class ImportException(SourceLine where, string message) : Exception(message)
{
    public SourceLine Where { get; } = where;

    public override string ToString() => $"{Where}: {Message}";
}
