namespace Ipvs.Checks;

/// <summary>What a check found.</summary>
public enum CheckStatus : byte
{
    /// <summary>The realserver answered as expected.</summary>
    Pass = 0,
    /// <summary>The realserver failed the check (refused, timed out, wrong answer).</summary>
    Fail = 1,
    /// <summary>The check could not run (no file descriptors, bad bind address, command not found): not the server's fault.</summary>
    Error = 2,
}

/// <summary>
/// The outcome of one check run: a value, never an exception. <see cref="Reason"/> is in an operator's words
/// ("connection refused", "status 503"); common reasons are cached strings so a passing check allocates nothing.
/// A failure also says its <see cref="Kind"/>, which a consumer judges without knowing the check's kind.
/// </summary>
/// <param name="Agent">What an agent check's answer reported (weight percentage, readiness word); default for other kinds.</param>
public readonly record struct CheckResult(CheckStatus Status, string? Reason, TimeSpan Latency, int? Weight = null, AgentReport Agent = default)
{
    public bool Passed => Status == CheckStatus.Pass;

    /// <summary>What kind of failure (<see cref="FailureKind.None"/> unless <see cref="Status"/> is Fail).</summary>
    public FailureKind Kind { get; init; }

    public static CheckResult Pass(TimeSpan latency, int? weight = null) => new(CheckStatus.Pass, null, latency, weight);
    public static CheckResult Fail(FailureKind kind, string reason, TimeSpan latency) => new(CheckStatus.Fail, reason, latency) { Kind = kind };

    /// <summary>A failure of a kind its producer does not say (<see cref="FailureKind.Unclassified"/>).</summary>
    public static CheckResult Fail(string reason, TimeSpan latency) => Fail(FailureKind.Unclassified, reason, latency);
    public static CheckResult Error(string reason, TimeSpan latency) => new(CheckStatus.Error, reason, latency);
}
