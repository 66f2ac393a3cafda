namespace Ipvs.Daemon.Alerts;

/// <summary>A program run per alert (no shell), with its arguments and its deadline.</summary>
public sealed record AlertCommandOptions(string Command, IReadOnlyList<string> Arguments, TimeSpan Timeout);
