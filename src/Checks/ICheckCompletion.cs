namespace Ipvs.Checks;

/// <summary>Takes the result of a run started with <see cref="IInlineCheck.Start"/>.</summary>
public interface ICheckCompletion
{
    /// <summary>Called exactly once per run, on the thread that ended it (usually the probe loop's; maybe inside Start).</summary>
    void OnCheckCompleted(in CheckResult result);
}
