namespace Ipvs.Fuzzing;

/// <summary>
/// Fuzz harnesses keep a core busy for seconds: they run alone, after the parallel tests, so their CPU does not
/// stretch the deadlines of timing-sensitive tests running beside them.
/// </summary>
[Xunit.CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;
