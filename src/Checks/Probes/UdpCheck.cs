using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// udp: a connected datagram socket sends the payload; a reply (matching, when asked) passes. The kernel reports an
/// ICMP port-unreachable to a connected socket as ECONNREFUSED, which is how "absence of unreachable" is told apart.
/// </summary>
internal sealed class UdpCheck : IHealthCheck
{
    private readonly UdpCheckSpec _spec;
    private readonly ProbeSocket _socket;
    private readonly TimeoutReasons _timeouts;
    private readonly byte[] _payload;
    private readonly byte[]? _expect;
    private readonly Regex? _regex;
    private readonly string? _mismatch;

    public UdpCheck(UdpCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal UdpCheck(UdpCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        _socket = new ProbeSocket(target, loop);
        _timeouts = new TimeoutReasons(spec.Timeout);
        _payload = Payload.Bytes(spec.PayloadFormat, spec.Payload);
        if (spec.ExpectReply is { } expect)
        {
            if (spec.ExpectFormat == DataFormat.Regex)
            {
                _regex = new Regex(expect, RegexOptions.CultureInvariant, spec.Timeout);
                _mismatch = "reply did not match /" + expect + "/";
            }
            else
            {
                _expect = Payload.Bytes(spec.ExpectFormat, expect);
                _mismatch = "reply did not contain \"" + expect + "\"";
            }
        }
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        if (_socket.Begin(_spec.Timeout, LibC.SOCK_DGRAM, start) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _socket.CancelOn(cancellationToken);
        byte[]? buffer = null;
        try
        {
            var rc = await _socket.ConnectAsync().ConfigureAwait(false);
            if (rc >= 0)
            {
                rc = await _socket.SendAsync(_payload).ConfigureAwait(false);
            }
            if (rc >= 0)
            {
                rc = await _socket.WaitAsync(LibC.EPOLLIN).ConfigureAwait(false);
            }
            if (rc >= 0)
            {
                // Rented only once the reply is there (or the error is pending).
                buffer = ArrayPool<byte>.Shared.Rent(65536);
                rc = await _socket.ReceiveAsync(buffer, waitFirst: false).ConfigureAwait(false);
            }
            var latency = Stopwatch.GetElapsedTime(start);
            if (rc == -LibC.ECONNREFUSED)
            {
                return CheckResult.Fail(FailureKind.Unreachable, "port unreachable", latency);
            }
            if (rc == -LibC.ETIMEDOUT && _spec.PassOnNoIcmpUnreachable)
            {
                return CheckResult.Pass(latency);
            }
            if (rc < 0)
            {
                return Reasons.FromErrno(-rc, Phase.WaitingForReply, _timeouts, latency);
            }
            return Matches(buffer.AsSpan(0, rc)) ? CheckResult.Pass(latency) : CheckResult.Fail(FailureKind.WrongAnswer, _mismatch!, latency);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _socket.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private bool Matches(ReadOnlySpan<byte> reply)
    {
        if (_regex is not null)
        {
            try
            {
                return _regex.IsMatch(Encoding.Latin1.GetString(reply));
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
        return _expect is null || reply.IndexOf(_expect) >= 0;
    }

    public void Dispose() => _socket.Dispose();
}
