using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Ipvs.Checks.Probes;

/// <summary>Reading the response: status line, headers, body — one pooled header buffer, one pooled body buffer.</summary>
internal sealed partial class HttpCheck
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CheckResult> ReadResponseAsync(long start)
    {
        _channel.Phase = Phase.ReadingStatusLine;
        if (!_channel.IsTls)
        {
            // Wait for the reply before renting a buffer: thousands of checks waiting must not hold thousands of buffers.
            var ready = await _channel.Socket.WaitAsync(Interop.LibC.EPOLLIN).ConfigureAwait(false);
            if (ready < 0)
            {
                return _channel.Failed(ready, start);
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(HeaderLimit);
        try
        {
            var filled = 0;
            var headerEnd = -1;
            while (headerEnd < 0)
            {
                var n = await _channel.ReadAsync(buffer.AsMemory(filled, HeaderLimit - filled), waitFirst: false).ConfigureAwait(false);
                if (n < 0)
                {
                    return _channel.Failed(n, start);
                }
                if (n == 0)
                {
                    return CheckResult.Fail(
                        _channel.Phase == Phase.ReadingHeaders ? "connection closed while reading headers"
                        : filled == 0 ? "connection closed without a response" : "connection closed while reading status line",
                        Stopwatch.GetElapsedTime(start));
                }
                filled += n;
                if (_channel.Phase == Phase.ReadingStatusLine)
                {
                    var status = HttpParser.StatusLine(buffer.AsSpan(0, filled));
                    if (status == HttpParser.NotHttp)
                    {
                        return CheckResult.Fail("not an HTTP response", Stopwatch.GetElapsedTime(start));
                    }
                    if (status != HttpParser.NeedMore)
                    {
                        if (!StatusPasses(status))
                        {
                            return CheckResult.Fail(StatusReason(status), Stopwatch.GetElapsedTime(start));
                        }
                        if (_matcher is null)
                        {
                            return CheckResult.Pass(Stopwatch.GetElapsedTime(start));
                        }
                        _channel.Phase = Phase.ReadingHeaders;
                    }
                }
                if (_channel.Phase == Phase.ReadingHeaders)
                {
                    headerEnd = HttpParser.HeaderEnd(buffer.AsSpan(0, filled));
                }
                if (headerEnd < 0 && filled == HeaderLimit)
                {
                    return CheckResult.Fail(_channel.Phase == Phase.ReadingHeaders ? HeaderTooLarge : "status line too long", Stopwatch.GetElapsedTime(start));
                }
            }
            return await ReadBodyAsync(buffer, headerEnd, filled, start).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

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
                        return CheckResult.Fail("malformed chunked body", Stopwatch.GetElapsedTime(start));
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
                var n = await _channel.ReadAsync(buffer.AsMemory(0, HeaderLimit), waitFirst: false).ConfigureAwait(false);
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
                    return CheckResult.Fail("connection closed while reading body", Stopwatch.GetElapsedTime(start));
                }
                input = buffer.AsMemory(0, n);
            }
            var matched = _matcher!.Matches(body.AsSpan(0, bodyLength));
            var latency = Stopwatch.GetElapsedTime(start);
            return matched ? CheckResult.Pass(latency) : CheckResult.Fail(_matcher.FailReason, latency);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }
}
