namespace Ipvs.Checks;

/// <summary>
/// exec: run <see cref="Command"/> with <see cref="Arguments"/>, in a new process group killed whole at the deadline.
/// The target is given in the environment (IPVS_CHECK_ADDRESS/PORT, IPVS_REALSERVER_ADDRESS/PORT,
/// IPVS_VIRTUAL_SERVICE; besides those only PATH, LANG and <see cref="Environment"/>) and arguments may use {address} {port} {rs_address} {rs_port} {vs}. Exit 0 passes,
/// anything else fails; with <see cref="DynamicWeight"/> (keepalived's misc_dynamic) 0 is up, 1 down, 2–255 up with
/// weight = code − 2.
/// </summary>
public sealed record ExecCheckSpec : CheckSpec
{
    public override string Kind => "exec";

    public override string Label => "exec " + System.IO.Path.GetFileName(Command);

    public string Command { get; init; } = "";

    public ValueList<string> Arguments { get; init; } = ValueList<string>.Empty;

    /// <summary>Run as this user (name or uid); null runs as the daemon's user.</summary>
    public string? User { get; init; }

    public bool DynamicWeight { get; init; }

    /// <summary>
    /// Extra environment, <c>NAME=value</c> each (config key <c>child_environment</c>), on top of PATH, LANG and the
    /// target variables: the command gets nothing else of the daemon's environment.
    /// </summary>
    public ValueList<string> Environment { get; init; } = ValueList<string>.Empty;

    /// <summary>Output kept (stdout and stderr together) for the reason; the rest is read and dropped.</summary>
    public int MaxOutputBytes { get; init; } = 4096;

    /// <summary>
    /// Null when this machine can run the command as <see cref="User"/> (or no user is set), else why not, in the words
    /// each run would report: an unknown user, or a daemon without CAP_SETUID and CAP_SETGID. Reads /etc/passwd.
    /// </summary>
    public string? UserProblem() => User is { } user ? Probes.UserSwitch.Problem(user) : null;

    /// <summary>Spawning a process must not hold up a probe loop: runs start on the scheduler's thread.</summary>
    public override bool RunsOnLoop => false;

    /// <summary>The command sees the virtual service (argument {vs}, IPVS_VIRTUAL_SERVICE): one probe per service.</summary>
    public override bool SharedAcrossServices => false;

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.ExecCheck(this, target, loop.Epoll);
}
