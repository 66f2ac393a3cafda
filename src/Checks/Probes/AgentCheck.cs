using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// agent: one connection, an optional line sent, one line read (at most <see cref="AgentCheckSpec.MaxLine"/> bytes, up
/// to a newline or the close), its words applied (<see cref="AgentLine"/>). Within the one deadline; a usual answer
/// allocates nothing beyond the pooled buffer.
/// </summary>
internal sealed class AgentCheck : IHealthCheck
{
    private readonly AgentCheckSpec _spec;
    private readonly ProbeChannel _channel;
    private readonly byte[]? _send;

    public AgentCheck(AgentCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal AgentCheck(AgentCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        _channel = new ProbeChannel(target, null, spec.Timeout, loop);
        _send = spec.Send is { } s ? Encoding.ASCII.GetBytes(s + "\n") : null;
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
        var buffer = ArrayPool<byte>.Shared.Rent(AgentCheckSpec.MaxLine);
        try
        {
            var rc = await _channel.ConnectAsync().ConfigureAwait(false);
            if (rc < 0)
            {
                return NoAnswer(_channel.Failed(rc, start), "agent unreachable: ", start);
            }
            if (_send is not null)
            {
                _channel.Phase = Phase.Sending;
                rc = await _channel.WriteAsync(_send).ConfigureAwait(false);
                if (rc < 0)
                {
                    return NoAnswer(_channel.Failed(rc, start), "agent unreachable: ", start);
                }
            }
            _channel.Phase = Phase.WaitingForReply;
            var filled = 0;
            var newline = -1;
            while (filled < AgentCheckSpec.MaxLine)
            {
                var n = await _channel.ReadAsync(buffer.AsMemory(filled, AgentCheckSpec.MaxLine - filled), waitFirst: false).ConfigureAwait(false);
                if (n < 0)
                {
                    return NoAnswer(_channel.Failed(n, start), "agent gave no answer: ", start);
                }
                if (n == 0)
                {
                    break;
                }
                newline = buffer.AsSpan(filled, n).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    newline += filled;
                    break;
                }
                filled += n;
            }
            var line = buffer.AsSpan(0, newline >= 0 ? newline : filled).TrimEnd((byte)'\r');
            return Judge(line, start);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _channel.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private CheckResult Judge(ReadOnlySpan<byte> line, long start)
    {
        var latency = Stopwatch.GetElapsedTime(start);
        if (line.IsEmpty)
        {
            return Unusable("agent closed without an answer", latency);
        }
        var parsed = AgentLine.Parse(line);
        if (parsed.Known == 0)
        {
            return Unusable("agent answer has no known word: '" + AgentLine.Printable(line) + "'", latency);
        }
        if (parsed.Down)
        {
            var why = parsed.DescriptionAt >= 0 ? AgentLine.Printable(line[parsed.DescriptionAt..]) : "";
            return new CheckResult(CheckStatus.Fail, "agent says " + parsed.DownWord + (why.Length > 0 ? ": " + why : ""), latency, null, parsed.Report);
        }
        return new CheckResult(CheckStatus.Pass, null, latency, null, parsed.Report);
    }

    // An agent that gives nothing usable does not take its realserver down (HAProxy's rule) unless configured to.
    private CheckResult NoAnswer(CheckResult failed, string prefix, long start) =>
        failed.Status == CheckStatus.Error ? failed : Unusable(prefix + failed.Reason, Stopwatch.GetElapsedTime(start));

    private CheckResult Unusable(string reason, TimeSpan latency) =>
        new(_spec.DownWhenUnreachable ? CheckStatus.Fail : CheckStatus.Pass, _spec.DownWhenUnreachable ? reason : reason + " (ignored)", latency);

    public void Dispose() => _channel.Dispose();
}
