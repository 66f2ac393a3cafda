namespace Ipvs.Engine;

/// <summary>Where a check stands with the one re-check a streak of lag-distrusted failures may get.</summary>
internal enum RecheckState : byte
{
    /// <summary>No distrusted failure since the last trusted result.</summary>
    None,
    /// <summary>A failure was distrusted; the re-check waits for the engine to be on time.</summary>
    Queued,
    /// <summary>This streak's re-check was started (or found needless); none again until a trusted result.</summary>
    Spent,
}
