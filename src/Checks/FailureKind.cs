namespace Ipvs.Checks;

/// <summary>
/// What kind of failure a failed check saw, so a consumer can judge a result without knowing check kinds. The kinds
/// fall into two groups (<see cref="FailureKinds.LatenessMayCause"/>): what the realserver or the path to it did,
/// which a late or busy checker cannot cause (an RST, an ICMP unreachable, a wrong answer, a failed TLS verification,
/// an exit code), and running out of time, which a checker that ran its steps late can cause by itself.
/// </summary>
public enum FailureKind : byte
{
    /// <summary>Not a failure: the check passed, or could not run (<see cref="CheckStatus.Error"/>).</summary>
    None = 0,
    /// <summary>A failure its producer did not classify (a check from outside this library): treated as a timeout.</summary>
    Unclassified,
    /// <summary>The realserver's host refused or reset the connection (RST): refused, reset, aborted, closed by it.</summary>
    Refused,
    /// <summary>An ICMP error: host, network or port unreachable, host down.</summary>
    Unreachable,
    /// <summary>It answered in the protocol, but not what the check expects: HTTP status or body, DNS rcode or answer, expect, UDP reply, ICMP verdict.</summary>
    WrongAnswer,
    /// <summary>What it sent is not the protocol: not HTTP, a malformed body framing, not a DNS reply, an answer cut off by a close.</summary>
    ProtocolError,
    /// <summary>The TLS handshake failed: certificate verification, a TLS alert, no common protocol or cipher.</summary>
    Tls,
    /// <summary>The command ran and exited non-zero, or a signal other than our deadline's ended it.</summary>
    ExitCode,
    /// <summary>No (complete) answer before the check's deadline.</summary>
    Timeout,
    /// <summary>
    /// A timeout in a step that began after more than half of the check's time was gone (the connect or handshake
    /// before it ended late): the realserver had less than half of its time to answer that step.
    /// </summary>
    DeadlineCutShort,
}
