using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// send/expect: a scripted dialogue over one connection (plain or TLS). Each expect step reads into one pooled buffer
/// until the bytes contain (or the regex matches) what is expected, bounded by MaxReadBytes and the one deadline.
/// </summary>
internal sealed class ExpectCheck : IHealthCheck
{
    private readonly ExpectCheckSpec _spec;
    private readonly ProbeChannel _channel;
    private readonly Step[] _steps;

    private const int EchoWindow = 6;

    private sealed record Step(ExpectStep Source, byte[]? Bytes, Regex? Regex, string TimeoutReason, string ClosedReason);

    public ExpectCheck(ExpectCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal ExpectCheck(ExpectCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        _channel = new ProbeChannel(target, spec.Tls is { } tls ? new TlsSettings(tls, null) : null, spec.Timeout, loop);
        var ms = ((long)spec.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        _steps = new Step[spec.Steps.Count];
        for (var i = 0; i < _steps.Length; i++)
        {
            var s = spec.Steps[i];
            var what = s.Format == DataFormat.Regex ? "/" + s.Value + "/" : "\"" + s.Value + "\"";
            _steps[i] = new Step(
                s,
                s.Format == DataFormat.Regex ? null : Payload.Bytes(s.Format, s.Value),
                s.Format == DataFormat.Regex ? new Regex(s.Value, RegexOptions.Multiline | RegexOptions.CultureInvariant, spec.Timeout) : null,
                "timeout after " + ms + " ms while waiting for " + what,
                "connection closed while waiting for " + what);
        }
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        if (_channel.Begin(start) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _channel.CancelOn(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_spec.MaxReadBytes, 64));
        try
        {
            var rc = await _channel.ConnectAsync().ConfigureAwait(false);
            if (rc < 0)
            {
                return _channel.Failed(rc, start);
            }
            foreach (var step in _steps)
            {
                if (step.Source.Action == ExpectAction.Send)
                {
                    _channel.Phase = Phase.Sending;
                    rc = await _channel.WriteAsync(step.Bytes).ConfigureAwait(false);
                    if (rc < 0)
                    {
                        return _channel.Failed(rc, start);
                    }
                    continue;
                }
                _channel.Phase = Phase.Expecting;
                var (kind, outcome) = await ExpectAsync(step, buffer.AsMemory(0, Math.Max(_spec.MaxReadBytes, 64)), start).ConfigureAwait(false);
                if (outcome is not null)
                {
                    return CheckResult.Fail(kind, outcome, Stopwatch.GetElapsedTime(start));
                }
            }
            return CheckResult.Pass(Stopwatch.GetElapsedTime(start));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _channel.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A null reason when the step matched, else the reason and the kind of failure.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(FailureKind Kind, string? Reason)> ExpectAsync(Step step, Memory<byte> buffer, long start)
    {
        var filled = 0;
        while (true)
        {
            var n = await _channel.ReadAsync(buffer[filled..], waitFirst: false).ConfigureAwait(false);
            if (n < 0)
            {
                var timedOut = n == -Interop.LibC.ETIMEDOUT;
                var kind = !timedOut ? Reasons.KindOf(-n) : _channel.StepCutShort(start) ? FailureKind.DeadlineCutShort : FailureKind.Timeout;
                return (kind, WithReceived(timedOut ? step.TimeoutReason : Reasons.Errno(-n), buffer.Span[..filled]));
            }
            if (n == 0)
            {
                return (FailureKind.ProtocolError, WithReceived(step.ClosedReason, buffer.Span[..filled]));
            }
            filled += n;
            var got = buffer.Span[..filled];
            var matched = step.Regex is { } regex ? Matches(regex, got) : got.IndexOf(step.Bytes) >= 0;
            if (matched)
            {
                return (FailureKind.None, null);
            }
            if (filled == buffer.Length)
            {
                return (FailureKind.WrongAnswer, WithReceived("expected " + (step.Regex is null ? "\"" + step.Source.Value + "\"" : "/" + step.Source.Value + "/")
                    + " not in the first " + filled.ToString(CultureInfo.InvariantCulture) + " bytes", got));
            }
        }
    }

    private static bool Matches(Regex regex, ReadOnlySpan<byte> got)
    {
        try
        {
            return regex.IsMatch(Encoding.Latin1.GetString(got));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds the start of what the server did say, so "554 no service" shows up in the reason — with every part that
    /// repeats what the check sent masked: a server answering "500 unknown command AUTH PLAIN ..." must not put the
    /// check's credentials into the status API, the page and the logs.
    /// </summary>
    private string WithReceived(string reason, ReadOnlySpan<byte> got)
    {
        if (got.IsEmpty)
        {
            return reason;
        }
        var line = got[..Math.Min(got.Length, 60)];
        var eol = line.IndexOfAny((byte)'\r', (byte)'\n');
        if (eol >= 0)
        {
            line = line[..eol];
        }
        Span<bool> echoed = stackalloc bool[line.Length];
        MarkEchoes(line, echoed);
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            text.Append(echoed[i] ? '*' : b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        return reason + " (got \"" + text + "\")";
    }

    /// <summary>
    /// Marks every run of <see cref="EchoWindow"/> bytes of a send step found in the reply: short enough to catch a
    /// truncated or reframed secret, long enough that "250 " and "OK" stay readable.
    /// </summary>
    private void MarkEchoes(ReadOnlySpan<byte> line, Span<bool> echoed)
    {
        foreach (var step in _steps)
        {
            if (step.Source.Action != ExpectAction.Send || step.Bytes is not { } sent)
            {
                continue;
            }
            for (var i = 0; i + EchoWindow <= sent.Length; i++)
            {
                var window = sent.AsSpan(i, EchoWindow);
                for (var from = 0; from + EchoWindow <= line.Length;)
                {
                    var at = line[from..].IndexOf(window);
                    if (at < 0)
                    {
                        break;
                    }
                    echoed.Slice(from + at, EchoWindow).Fill(true);
                    from += at + 1;
                }
            }
        }
    }

    public void Dispose() => _channel.Dispose();
}
