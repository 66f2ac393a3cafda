namespace Ipvs.Engine;

/// <summary>Admin state kept in memory only (tests, demo): survives an engine restart in the same process.</summary>
public sealed class InMemoryAdminStateStore : IAdminStateStore
{
    private volatile IReadOnlyList<AdminRecord> _records = [];

    public string Description => "memory";

    public int Saves { get; private set; }

    public IReadOnlyList<AdminRecord> Load() => _records;

    public void Save(IReadOnlyList<AdminRecord> records)
    {
        _records = [.. records];
        Saves++;
    }
}
