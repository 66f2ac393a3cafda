namespace Ipvs.Bench;

/// <summary>A benchmark scenario: prints a table, writes its results under bench/results/.</summary>
public interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args);
}

public static partial class Scenarios
{
    /// <summary>Every scenario. Add one line per scenario file.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new EngineSteadyScenario(),
        new EngineMassFailureScenario(),
        new EngineDetectScenario(),
        new EngineSoakScenario(),
        new EngineThroughputScenario(),
        new ChecksScenario(http: false),
        new ChecksScenario(http: true),
        new ChecksScenario(http: true, tls: true),
        new SideBySide.SideBySideScenario(),
        new KernelScenario(),
        new PlotScenario(),
        new RampScenario(),
        new MetricsScrapeScenario(),
        new StatusPageScenario(),
    ];
}
