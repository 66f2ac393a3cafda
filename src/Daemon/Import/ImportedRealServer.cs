namespace Ipvs.Daemon.Import;

/// <summary>One realserver as it will be written.</summary>
internal sealed class ImportedRealServer(string address)
{
    public string Address { get; } = address;

    public int? Weight { get; set; }

    public string? Forward { get; set; }

    public string? OnFailure { get; set; }

    public long? UpperThreshold { get; set; }

    public long? LowerThreshold { get; set; }

    /// <summary>
    /// This realserver's checks (every checker, every url); after <see cref="CheckFactoring"/> only what differs from
    /// the service's: one check holding the keys that differ, or the whole list when the lists differ.
    /// </summary>
    public List<ImportedCheck> Checks { get; set; } = [];

    public List<string> Notes { get; } = [];
}
