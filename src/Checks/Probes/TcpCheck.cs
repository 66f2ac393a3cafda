using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>tcp: socket, connect, wait for writable, close with RST (no TIME_WAIT). A handful of syscalls, no allocation.</summary>
internal sealed class TcpCheck : IHealthCheck
{
    private readonly TcpCheckSpec _spec;
    private readonly ProbeSocket _socket;
    private readonly TimeoutReasons _timeouts;

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
        var latency = Stopwatch.GetElapsedTime(start, Math.Max(start, _socket.Timestamp()));
        return rc == 0 ? CheckResult.Pass(latency) : Reasons.FromErrno(-rc, Phase.Connecting, _timeouts, latency);
    }

    public void Dispose() => _socket.Dispose();
}
