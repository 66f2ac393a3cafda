using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// tcp: socket, connect, wait for writable, close with RST (no TIME_WAIT). A handful of syscalls, no allocation.
/// Two ways to run it with the same outcome: <see cref="RunAsync"/>, and <see cref="Start"/>, where the loop's event or
/// deadline calls <see cref="OnWaitDone"/> directly (the engine's path: no async state machines, no ValueTask source,
/// no cancellation registration per run).
/// </summary>
internal sealed class TcpCheck : IInlineCheck, IReadinessHandler
{
    private static readonly CheckResult s_cancelled = CheckResult.Error("cancelled", TimeSpan.Zero);
    private readonly TcpCheckSpec _spec;
    private readonly ProbeSocket _socket;
    private readonly TimeoutReasons _timeouts;
    private ICheckCompletion? _completion;
    private long _start;

    public TcpCheck(TcpCheckSpec spec, CheckTarget target, EpollLoop? loop = null)
    {
        _spec = spec;
        Target = target;
        _socket = new ProbeSocket(target, loop);
        _timeouts = new TimeoutReasons(spec.Timeout);
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = _socket.Timestamp();
        if (_socket.Begin(_spec.Timeout, LibC.SOCK_STREAM, start, resetOnClose: true) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _socket.CancelOn(cancellationToken);
        var rc = await _socket.ConnectAsync().ConfigureAwait(false);
        _socket.Close();
        cancellationToken.ThrowIfCancellationRequested();
        return Outcome(rc, start);
    }

    public void Start(ICheckCompletion completion)
    {
        var start = _socket.Timestamp();
        if (_socket.Begin(_spec.Timeout, LibC.SOCK_STREAM, start, resetOnClose: true) is { } notStarted)
        {
            completion.OnCheckCompleted(notStarted);
            return;
        }
        _start = start;
        _completion = completion;
        var rc = _socket.Connect(this);
        if (rc != ProbeSocket.Pending)
        {
            Finish(rc);
        }
    }

    public void OnWaitDone(int result) => Finish(_socket.ConnectOutcome(result));

    public void Cancel() => _socket.Cancel();

    private void Finish(int rc)
    {
        _socket.Close();
        var completion = _completion!;
        _completion = null;
        completion.OnCheckCompleted(rc == -ReadinessWaiter.ECANCELED ? s_cancelled : Outcome(rc, _start));
    }

    private CheckResult Outcome(int rc, long start)
    {
        var latency = Stopwatch.GetElapsedTime(start, Math.Max(start, _socket.Timestamp()));
        return rc == 0 ? CheckResult.Pass(latency) : Reasons.FromErrno(-rc, Phase.Connecting, _timeouts, latency);
    }

    public void Dispose() => _socket.Dispose();
}
