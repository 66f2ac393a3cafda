namespace Ipvs.Daemon.Import;

/// <summary>
/// What an importer read, in ipvs-checkd's terms, before it is written as YAML: the intermediate model between
/// the source parsers (keepalived, ldirectord) and <see cref="ImportYamlWriter"/>.
/// </summary>
internal sealed class ImportedConfig(string sourceFormat, string sourceFile)
{
    public string SourceFormat { get; } = sourceFormat;

    public string SourceFile { get; } = sourceFile;

    /// <summary>Notes on the whole file (skipped sections, global settings with no equivalent).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>kernel.on_exit when the source has an opinion (ldirectord's cleanstop).</summary>
    public string? OnExit { get; set; }

    public List<ImportedService> Services { get; } = [];

    public int NoteCount => Notes.Count + Services.Sum(s => s.Notes.Count + s.RealServers.Sum(r => r.Notes.Count));
}
