namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>
/// How far past its timeout a check's reported latency may be in a test. The bound says the check ended by itself
/// (a hostile peer cannot make it hang); it is no measure of timer precision, since a loaded machine may run the
/// timeout's continuation seconds late. Precision is for the benchmarks.
/// </summary>
internal static class LatencySlack
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
}
