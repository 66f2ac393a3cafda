namespace Ipvs.Engine;

/// <summary>Where admin state survives a restart.</summary>
public interface IAdminStateStore
{
    /// <summary>Human-readable location, for logs ("file state/admin.json", "memory").</summary>
    string Description { get; }

    /// <summary>Reads what was saved. A missing store is empty; a damaged one is reported and read as empty.</summary>
    IReadOnlyList<AdminRecord> Load();

    /// <summary>Replaces everything saved with <paramref name="records"/>, atomically: all or nothing.</summary>
    void Save(IReadOnlyList<AdminRecord> records);
}
