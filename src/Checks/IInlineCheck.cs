namespace Ipvs.Checks;

/// <summary>
/// A check the probe loop can run as a plain state machine: no async method, no ValueTask source, no cancellation
/// registration per run; the loop's readiness event or deadline calls the check, which hands its result to an
/// <see cref="ICheckCompletion"/>. The same reasons and deadlines as <see cref="IHealthCheck.RunAsync"/>; one run at
/// a time, by either path.
/// </summary>
public interface IInlineCheck : IHealthCheck
{
    /// <summary>Starts a run; best called on the probe loop thread (<see cref="ProbeLoop.IsCurrentThread"/> of the loop it was created on).</summary>
    void Start(ICheckCompletion completion);

    /// <summary>Ends the run in progress, if any, with an Error "cancelled" (the caller is stopping).</summary>
    void Cancel();
}
