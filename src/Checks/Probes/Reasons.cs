using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Probes;

/// <summary>Reasons in an operator's words. Constant strings, so a repeated failure allocates nothing.</summary>
internal static class Reasons
{
    public static string PhaseName(Phase phase) => phase switch
    {
        Phase.Connecting => "connecting",
        Phase.TlsHandshake => "TLS handshake",
        Phase.SendingRequest => "sending request",
        Phase.ReadingStatusLine => "reading status line",
        Phase.ReadingHeaders => "reading headers",
        Phase.ReadingBody => "reading body",
        Phase.WaitingForReply => "waiting for reply",
        Phase.Sending => "sending",
        Phase.Expecting => "waiting for expected data",
        _ => "running",
    };

    /// <summary>True when the errno says the check itself could not run (not the server's fault).</summary>
    public static bool IsLocalError(int errno) => errno is LibC.EMFILE or LibC.ENFILE or LibC.ENOBUFS or LibC.ENOMEM
        or LibC.EADDRNOTAVAIL or LibC.EADDRINUSE or LibC.EAFNOSUPPORT or LibC.EPROTONOSUPPORT or LibC.EACCES or LibC.EPERM;

    public static string Errno(int errno) => errno switch
    {
        LibC.ECONNREFUSED => "connection refused",
        LibC.ECONNRESET => "connection reset",
        LibC.ECONNABORTED => "connection aborted",
        LibC.EPIPE => "connection closed by server",
        LibC.EHOSTUNREACH => "host unreachable",
        LibC.ENETUNREACH => "network unreachable",
        LibC.EHOSTDOWN => "host down",
        LibC.ETIMEDOUT => "timeout",
        LibC.EMFILE or LibC.ENFILE => "no file descriptors left",
        LibC.ENOBUFS or LibC.ENOMEM => "out of socket buffers",
        LibC.EADDRNOTAVAIL => "source address not available",
        LibC.EADDRINUSE => "source address in use",
        LibC.EAFNOSUPPORT or LibC.EPROTONOSUPPORT => "address family not supported",
        LibC.EACCES or LibC.EPERM => "permission denied",
        _ => "socket error " + errno,
    };

    /// <summary>Setting a socket up (socket, mark, bind) failed: always the check's own problem.</summary>
    public static CheckResult SetupFailed(int errno, TimeSpan latency) => CheckResult.Error(errno == 22 ? "bad source address or mark" : Errno(errno), latency);

    /// <summary>The kind of failure an errno of the server's side is (see <see cref="FailureKind"/>).</summary>
    public static FailureKind KindOf(int errno) => errno switch
    {
        LibC.ECONNREFUSED or LibC.ECONNRESET or LibC.ECONNABORTED or LibC.EPIPE => FailureKind.Refused,
        LibC.EHOSTUNREACH or LibC.ENETUNREACH or LibC.EHOSTDOWN => FailureKind.Unreachable,
        LibC.ETIMEDOUT => FailureKind.Timeout,
        _ => FailureKind.Unclassified,
    };

    /// <summary>
    /// Classifies a −errno into Fail (the server) or Error (the check), with the reason and the failure's kind. A
    /// timeout is <see cref="FailureKind.DeadlineCutShort"/> when <paramref name="cutShort"/> says its step began
    /// after more than half of the check's time was gone.
    /// </summary>
    public static CheckResult FromErrno(int errno, Phase phase, TimeoutReasons timeouts, TimeSpan latency, bool cutShort = false)
    {
        if (errno == LibC.ETIMEDOUT)
        {
            return CheckResult.Fail(cutShort ? FailureKind.DeadlineCutShort : FailureKind.Timeout, timeouts.For(phase), latency);
        }
        var reason = Errno(errno);
        return IsLocalError(errno) ? CheckResult.Error(reason, latency) : CheckResult.Fail(KindOf(errno), reason, latency);
    }
}
