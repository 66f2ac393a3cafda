using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Probes;

/// <summary>Reading the response: status line, headers, body — one pooled header buffer, one pooled body buffer.</summary>
internal sealed partial class HttpCheck
{
    /// <summary>
    /// Judges the response head read so far (<paramref name="data"/>, after a read that returned <paramref name="n"/>):
    /// a verdict, or null to read on. <paramref name="headerEnd"/> becomes the header block's length once a body match
    /// needs the body and the block is complete.
    /// </summary>
    private CheckResult? Judge(ReadOnlySpan<byte> data, int n, long start, out int headerEnd)
    {
        headerEnd = -1;
        if (n < 0)
        {
            return _channel.Failed(n, start);
        }
        if (n == 0)
        {
            return CheckResult.Fail(FailureKind.ProtocolError,
                _channel.Phase == Phase.ReadingHeaders ? "connection closed while reading headers"
                : data.IsEmpty ? "connection closed without a response" : "connection closed while reading status line",
                Elapsed(start));
        }
        if (_channel.Phase == Phase.ReadingStatusLine)
        {
            var status = HttpParser.StatusLine(data);
            if (status == HttpParser.NotHttp)
            {
                return CheckResult.Fail(FailureKind.ProtocolError, "not an HTTP response", Elapsed(start));
            }
            if (status != HttpParser.NeedMore)
            {
                if (!StatusPasses(status))
                {
                    return CheckResult.Fail(FailureKind.WrongAnswer, StatusReason(status), Elapsed(start));
                }
                if (_matcher is null)
                {
                    return CheckResult.Pass(Elapsed(start));
                }
                _channel.Phase = Phase.ReadingHeaders;
            }
        }
        if (_channel.Phase == Phase.ReadingHeaders)
        {
            headerEnd = HttpParser.HeaderEnd(data);
        }
        if (headerEnd < 0 && data.Length == HeaderLimit)
        {
            return CheckResult.Fail(FailureKind.ProtocolError, _channel.Phase == Phase.ReadingHeaders ? HeaderTooLarge : "status line too long", Elapsed(start));
        }
        return null;
    }

    /// <summary>
    /// Reads what is there: bytes, 0 at end of stream, or −errno. Plain HTTP tries the recv first and completes
    /// synchronously when data is there (no async step); only an empty socket waits for readiness.
    /// </summary>
    private ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        if (_channel.IsTls)
        {
            return _channel.ReadAsync(buffer, waitFirst: false);
        }
        var n = _channel.Socket.TryReceive(buffer.Span);
        return n != -LibC.EAGAIN ? new ValueTask<int>(n) : _channel.Socket.ReceiveAsync(buffer, waitFirst: true);
    }

    /// <summary>Latency to now: the loop pass's timestamp on the loop thread (one clock read per pass), else a fresh one.</summary>
    private TimeSpan Elapsed(long start) => Stopwatch.GetElapsedTime(start, Math.Max(start, _channel.Socket.Timestamp()));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CheckResult> ReadBodyAsync(byte[] buffer, int headerEnd, int filled, long start)
    {
        HttpParser.Framing(buffer.AsSpan(0, headerEnd), out var contentLength, out var chunked);
        var max = Math.Max(_spec.MaxBodyBytes, 0);
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(max, 1));
        try
        {
            var decoder = default(ChunkedDecoder);
            var bodyLength = 0;
            long received = 0;
            _channel.Phase = Phase.ReadingBody;
            var input = buffer.AsMemory(headerEnd, filled - headerEnd);
            while (true)
            {
                if (chunked)
                {
                    decoder.Feed(input.Span, body.AsSpan(0, max), ref bodyLength);
                    if (decoder.Malformed)
                    {
                        return CheckResult.Fail(FailureKind.ProtocolError, "malformed chunked body", Elapsed(start));
                    }
                }
                else
                {
                    var take = contentLength >= 0 ? (int)Math.Min(input.Length, contentLength - received) : input.Length;
                    var room = Math.Min(take, max - bodyLength);
                    input.Span[..room].CopyTo(body.AsSpan(bodyLength));
                    bodyLength += room;
                    received += take;
                }
                var complete = bodyLength >= max || (chunked ? decoder.Done : contentLength >= 0 && received >= contentLength);
                if (complete)
                {
                    break;
                }
                var n = await ReadAsync(buffer.AsMemory(0, HeaderLimit)).ConfigureAwait(false);
                if (n < 0)
                {
                    return _channel.Failed(n, start);
                }
                if (n == 0)
                {
                    if (!chunked && contentLength < 0)
                    {
                        break; // body delimited by the end of the connection
                    }
                    return CheckResult.Fail(FailureKind.ProtocolError, "connection closed while reading body", Elapsed(start));
                }
                input = buffer.AsMemory(0, n);
            }
            var matched = _matcher!.Matches(body.AsSpan(0, bodyLength), out var timedOut);
            var latency = Elapsed(start);
            // A regex that ran out of its time may be this process starved of CPU, not the body.
            return matched ? CheckResult.Pass(latency)
                : CheckResult.Fail(timedOut ? FailureKind.Timeout : FailureKind.WrongAnswer, _matcher.FailReason, latency);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }
}
