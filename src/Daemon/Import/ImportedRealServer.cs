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

    /// <summary>This realserver's check; after <see cref="CheckFactoring"/> only what differs from the service's.</summary>
    public ImportedCheck? Check { get; set; }

    public List<string> Notes { get; } = [];
}
