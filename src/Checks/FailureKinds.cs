namespace Ipvs.Checks;

/// <summary>How a consumer judges a <see cref="FailureKind"/>, and its word at the edges (logs, metrics labels, the API).</summary>
public static class FailureKinds
{
    /// <summary>
    /// True when a checker that ran late (its own loop busy, its process starved of CPU) could have produced this
    /// failure by itself: timeouts, deadlines cut short, and failures nobody classified. False for what only the
    /// realserver or its network can cause.
    /// </summary>
    public static bool LatenessMayCause(this FailureKind kind) =>
        kind is FailureKind.Timeout or FailureKind.DeadlineCutShort or FailureKind.Unclassified;

    /// <summary>The kind in lower-case words with underscores ("refused", "wrong_answer", "deadline_cut_short").</summary>
    public static string Word(this FailureKind kind) => kind switch
    {
        FailureKind.None => "none",
        FailureKind.Unclassified => "unclassified",
        FailureKind.Refused => "refused",
        FailureKind.Unreachable => "unreachable",
        FailureKind.WrongAnswer => "wrong_answer",
        FailureKind.ProtocolError => "protocol_error",
        FailureKind.Tls => "tls",
        FailureKind.ExitCode => "exit_code",
        FailureKind.Timeout => "timeout",
        FailureKind.DeadlineCutShort => "deadline_cut_short",
        _ => "unclassified",
    };
}
