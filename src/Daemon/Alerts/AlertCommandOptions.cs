namespace Ipvs.Daemon.Alerts;

/// <summary>A program run per alert (no shell), with its arguments and its deadline.</summary>
public sealed record AlertCommandOptions(string Command, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>Extra environment, <c>NAME=value</c> each (config key <c>child_environment</c>).</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];
}
