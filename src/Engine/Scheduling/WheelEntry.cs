namespace Ipvs.Engine;

/// <summary>
/// Something the <see cref="TimerWheel"/> fires: an intrusive list node, so scheduling and cancelling are O(1)
/// and allocate nothing.
/// </summary>
internal abstract class WheelEntry
{
    internal WheelEntry? WheelNext;
    internal WheelEntry? WheelPrev;
    internal int WheelBucket = -1;

    /// <summary>The time (engine ticks, 100 ns since start) at which it is due.</summary>
    internal long DueTime;

    public bool IsScheduled => WheelBucket >= 0;

    /// <summary>Called by <see cref="TimerWheel.Advance"/> once the entry is due; it is already unlinked.</summary>
    public abstract void OnDue(long now);
}
