namespace Ipvs.Daemon.Config;

/// <summary>The outcome of reading a config: the config when it has no problem, every problem otherwise, and warnings either way.</summary>
internal sealed record ConfigLoadResult(DaemonConfig? Config, IReadOnlyList<ConfigProblem> Problems, IReadOnlyList<string> Warnings)
{
    public bool Ok => Config is not null && Problems.Count == 0;
}
