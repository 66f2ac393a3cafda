namespace Ipvs.Daemon.Import;

/// <summary>One virtual service as it will be written (keys of the config's virtual_services entries).</summary>
internal sealed class ImportedService
{
    public string Name { get; set; } = "";

    /// <summary>ADDRESS:PORT ([v6]:PORT for IPv6); null for a fwmark service.</summary>
    public string? Address { get; set; }

    public string? Protocol { get; set; }

    public long? Fwmark { get; set; }

    public string? Family { get; set; }

    public string? Scheduler { get; set; }

    public string? Forward { get; set; }

    public string? Persistence { get; set; }

    public string? Netmask { get; set; }

    public string? PersistenceEngine { get; set; }

    public bool OnePacket { get; set; }

    public int? Quorum { get; set; }

    public int? Hysteresis { get; set; }

    public string? SorryServer { get; set; }

    public string? OnFailure { get; set; }

    /// <summary>The check(s) every realserver shares (filled by <see cref="CheckFactoring"/>).</summary>
    public List<ImportedCheck> Checks { get; set; } = [];

    public List<string> Notes { get; } = [];

    public List<ImportedRealServer> RealServers { get; } = [];
}
