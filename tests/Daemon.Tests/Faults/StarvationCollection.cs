using Xunit;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// The CPU-starvation test keeps every core busy for seconds on purpose: it runs alone, after the parallel tests, so
/// it neither stretches their deadlines nor has its own figures blurred by them.
/// </summary>
[CollectionDefinition(nameof(StarvationCollection), DisableParallelization = true)]
public sealed class StarvationCollection;
