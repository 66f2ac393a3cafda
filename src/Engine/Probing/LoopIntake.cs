namespace Ipvs.Engine;

/// <summary>
/// Takes the results a probe loop pass completed into the engine with one pass, after the loop has dispatched all
/// of them (instead of one engine pass, and one clock read, per result).
/// </summary>
internal sealed class LoopIntake(Action intake) : IThreadPoolWorkItem
{
    /// <summary>1 while queued on the loop: further results of the same loop pass need no second call.</summary>
    public int Queued;

    public void Execute()
    {
        Volatile.Write(ref Queued, 0);
        intake();
    }
}
