using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// dns: one query over UDP (connected socket) or TCP (length-prefixed). Replies with another id are ignored (as a
/// resolver does: they may be spoofed) and counted in the timeout reason; the reply must carry our question, NOERROR
/// and an answer (the expected one when set).
/// </summary>
internal sealed class DnsCheck : IHealthCheck
{
    private const int MaxReply = 64 * 1024;
    private readonly DnsCheckSpec _spec;
    private readonly ProbeSocket _socket;
    private readonly TimeoutReasons _timeouts;
    private readonly byte[] _query;
    private readonly byte[] _tcpQuery;
    private readonly IPAddress? _expectedAddress;
    private readonly string? _answerMissing;

    public DnsCheck(DnsCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal DnsCheck(DnsCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        _socket = new ProbeSocket(target, loop);
        _timeouts = new TimeoutReasons(spec.Timeout);
        _query = DnsMessage.Query(spec.QueryName, spec.QueryType);
        _tcpQuery = new byte[_query.Length + 2];
        if (spec.ExpectedAnswer is { } expected)
        {
            if (spec.QueryType is DnsQueryType.A or DnsQueryType.AAAA && !IPAddress.TryParse(expected, out _expectedAddress))
            {
                throw new ArgumentException($"expected answer '{expected}' is not an address", nameof(spec));
            }
            _answerMissing = "answer " + expected + " not in reply";
        }
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        BinaryPrimitives.WriteUInt16BigEndian(_query, (ushort)Random.Shared.Next(0x10000));
        if (_socket.Begin(_spec.Timeout, _spec.Tcp ? LibC.SOCK_STREAM : LibC.SOCK_DGRAM, start, resetOnClose: _spec.Tcp) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _socket.CancelOn(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(_spec.Tcp ? MaxReply + 2 : 4096);
        try
        {
            var rc = await _socket.ConnectAsync().ConfigureAwait(false);
            if (rc < 0)
            {
                return Reasons.FromErrno(-rc, Phase.Connecting, _timeouts, Stopwatch.GetElapsedTime(start));
            }
            return _spec.Tcp ? await TcpAsync(buffer, start).ConfigureAwait(false) : await UdpAsync(buffer, start).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _socket.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CheckResult> UdpAsync(byte[] buffer, long start)
    {
        var rc = await _socket.SendAsync(_query).ConfigureAwait(false);
        if (rc < 0)
        {
            return Reasons.FromErrno(-rc, Phase.SendingRequest, _timeouts, Stopwatch.GetElapsedTime(start));
        }
        var wrongIds = 0;
        while (true)
        {
            var n = await _socket.ReceiveAsync(buffer, waitFirst: true).ConfigureAwait(false);
            if (n < 0)
            {
                var latency = Stopwatch.GetElapsedTime(start);
                if (n == -LibC.ECONNREFUSED)
                {
                    return CheckResult.Fail(FailureKind.Unreachable, "port unreachable", latency);
                }
                var r = Reasons.FromErrno(-n, Phase.WaitingForReply, _timeouts, latency);
                return wrongIds > 0 && n == -LibC.ETIMEDOUT
                    ? CheckResult.Fail(FailureKind.Timeout, r.Reason + " (ignored " + wrongIds.ToString(CultureInfo.InvariantCulture) + " reply with a wrong id)", latency)
                    : r;
            }
            var verdict = Judge(buffer.AsSpan(0, n), start, out var wrongId);
            if (!wrongId)
            {
                return verdict;
            }
            wrongIds++;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CheckResult> TcpAsync(byte[] buffer, long start)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_tcpQuery, (ushort)_query.Length);
        _query.CopyTo(_tcpQuery, 2);
        var rc = await _socket.SendAsync(_tcpQuery).ConfigureAwait(false);
        if (rc < 0)
        {
            return Reasons.FromErrno(-rc, Phase.SendingRequest, _timeouts, Stopwatch.GetElapsedTime(start));
        }
        var filled = 0;
        var need = 2;
        var waitFirst = true;
        while (filled < need)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(filled, need - filled), waitFirst).ConfigureAwait(false);
            waitFirst = false;
            if (n <= 0)
            {
                return n == 0
                    ? CheckResult.Fail(FailureKind.ProtocolError, "connection closed while waiting for reply", Stopwatch.GetElapsedTime(start))
                    : Reasons.FromErrno(-n, Phase.WaitingForReply, _timeouts, Stopwatch.GetElapsedTime(start));
            }
            filled += n;
            if (need == 2 && filled >= 2)
            {
                need = 2 + BinaryPrimitives.ReadUInt16BigEndian(buffer);
            }
        }
        var verdict = Judge(buffer.AsSpan(2, need - 2), start, out var wrongId);
        return wrongId ? CheckResult.Fail(FailureKind.ProtocolError, "reply with a wrong id", verdict.Latency) : verdict;
    }

    private CheckResult Judge(ReadOnlySpan<byte> reply, long start, out bool wrongId)
    {
        var latency = Stopwatch.GetElapsedTime(start);
        var rcode = DnsMessage.Validate(_query, reply, out var answers, out var answerStart);
        wrongId = rcode == DnsMessage.WrongId;
        switch (rcode)
        {
            case DnsMessage.WrongId:
                return default;
            case DnsMessage.WrongQuestion:
                return CheckResult.Fail(FailureKind.WrongAnswer, "reply to another question", latency);
            case < 0:
                return CheckResult.Fail(FailureKind.ProtocolError, "not a DNS reply", latency);
            case > 0:
                return CheckResult.Fail(FailureKind.WrongAnswer, DnsMessage.RcodeName(rcode), latency);
        }
        if (answers == 0)
        {
            return CheckResult.Fail(FailureKind.WrongAnswer, "no answer", latency);
        }
        if (_spec.ExpectedAnswer is { } expected
            && !DnsMessage.HasAnswer(reply, answerStart, answers, _spec.QueryType, expected, _expectedAddress))
        {
            return CheckResult.Fail(FailureKind.WrongAnswer, _answerMissing!, latency);
        }
        return CheckResult.Pass(latency);
    }

    public void Dispose() => _socket.Dispose();
}
