using System.Diagnostics;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Probes;

namespace Ipvs.Checks.Io;

/// <summary>
/// A stream-shaped probe's connection, plain or TLS: connect (and handshake), write, read. Every result is a count
/// or −errno (−<see cref="TlsFailed"/> for a TLS failure, worded in <see cref="TlsFailure"/>); nothing throws.
/// It also keeps what every stream probe's run shares: the one deadline, the <see cref="Phase"/> its timeout
/// reasons name, and the wording of a failed result (<see cref="Failed"/>).
/// </summary>
internal sealed class ProbeChannel : IDisposable
{
    public const int TlsFailed = 100_000;
    public const int Refused = 100_001;
    private readonly TlsSettings? _tls;
    private readonly SocketStream? _stream;
    private readonly TimeSpan _timeout;
    private readonly TimeoutReasons _timeouts;
    private readonly bool _resetOnClose;
    private SslStream? _ssl;
    private Phase _phase;
    private long _phaseAt;

    /// <param name="resetOnClose">Close with RST (SO_LINGER 0): neither side keeps the connection in TIME_WAIT.</param>
    public ProbeChannel(CheckTarget target, TlsSettings? tls, TimeSpan timeout, EpollLoop? loop = null, bool resetOnClose = false)
    {
        Socket = new ProbeSocket(target, loop);
        _resetOnClose = resetOnClose;
        _tls = tls;
        _stream = tls is null ? null : new SocketStream(Socket);
        _timeout = timeout;
        _timeouts = new TimeoutReasons(timeout);
    }

    public ProbeSocket Socket { get; }

    public bool IsTls => _tls is not null;

    public string? TlsFailure { get; private set; }

    /// <summary>
    /// Where the run stands; <see cref="Failed"/> names it in a timeout reason. The probe moves it on after connecting;
    /// each move notes when the step began (the loop pass's timestamp on the loop thread), for <see cref="StepCutShort"/>.
    /// </summary>
    public Phase Phase
    {
        get => _phase;
        set
        {
            if (value != _phase)
            {
                _phase = value;
                _phaseAt = value == Phase.Connecting ? 0 : Socket.Timestamp();
            }
        }
    }

    /// <summary>
    /// True when the step now running began after more than half of the check's time was gone: a timeout in it is
    /// <see cref="FailureKind.DeadlineCutShort"/> (the realserver had less than half its time for that step).
    /// </summary>
    public bool StepCutShort(long start) =>
        _phase != Phase.Connecting && _phaseAt > start && Stopwatch.GetElapsedTime(start, _phaseAt) > _timeout / 2;

    /// <summary>
    /// Starts a run: arms its one deadline and sets the socket up (no packet sent yet). Null when ready; else the
    /// run's result, an Error either way (TLS settings that did not load, a socket that could not be set up).
    /// </summary>
    public CheckResult? Begin(long start)
    {
        if (_tls?.SetupError is { } setup)
        {
            return CheckResult.Error(setup, TimeSpan.Zero);
        }
        TlsFailure = null;
        _phase = Phase.Connecting;
        _phaseAt = 0;
        return Socket.Begin(_timeout, LibC.SOCK_STREAM, start, _resetOnClose);
    }

    /// <summary>Cancelling the run's token cancels the socket's pending wait.</summary>
    public CancellationTokenRegistration CancelOn(CancellationToken cancellationToken) => Socket.CancelOn(cancellationToken);

    /// <summary>
    /// Connects and, for TLS, handshakes (<see cref="Phase"/> says which one stopped). Plain connects return the
    /// socket's own task: the TLS path folds the connect into the handshake's state machine, so neither adds one.
    /// </summary>
    public ValueTask<int> ConnectAsync() => _tls is null ? Socket.ConnectAsync() : ConnectTlsAsync();

    /// <summary>A failed step's result: the TLS wording for a TLS failure, else the errno's, with the phase for a timeout.</summary>
    public CheckResult Failed(int rc, long start)
    {
        var latency = Stopwatch.GetElapsedTime(start, Math.Max(start, Socket.Timestamp()));
        return rc == -TlsFailed
            ? CheckResult.Fail(FailureKind.Tls, TlsFailure ?? "TLS handshake failed", latency)
            : Reasons.FromErrno(-rc, Phase, _timeouts, latency, rc == -LibC.ETIMEDOUT && StepCutShort(start));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ConnectTlsAsync()
    {
        var rc = await Socket.ConnectAsync().ConfigureAwait(false);
        if (rc < 0)
        {
            return rc;
        }
        Phase = Phase.TlsHandshake;
        _stream!.Reset();
        _ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        try
        {
            await _ssl.AuthenticateAsClientAsync(_tls!.Options, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or InvalidOperationException)
        {
            if (_stream.LastErrno != 0)
            {
                return -_stream.LastErrno;
            }
            TlsFailure = _tls!.TakeVerifyFailure() ?? "TLS handshake failed: " + (e.InnerException?.Message ?? e.Message);
            return -TlsFailed;
        }
    }

    public ValueTask<int> WriteAsync(ReadOnlyMemory<byte> data) => _ssl is null ? Socket.SendAsync(data) : WriteTlsAsync(data);

    public ValueTask<int> ReadAsync(Memory<byte> buffer, bool waitFirst) => _ssl is null ? Socket.ReceiveAsync(buffer, waitFirst) : ReadTlsAsync(buffer);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WriteTlsAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await _ssl!.WriteAsync(data).ConfigureAwait(false);
            return data.Length;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return -(_stream!.LastErrno != 0 ? _stream.LastErrno : LibC.ECONNRESET);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadTlsAsync(Memory<byte> buffer)
    {
        try
        {
            return await _ssl!.ReadAsync(buffer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or AuthenticationException)
        {
            return -(_stream!.LastErrno != 0 ? _stream.LastErrno : LibC.ECONNRESET);
        }
    }

    public void Cancel() => Socket.Cancel();

    public void Close()
    {
        _ssl?.Dispose();
        _ssl = null;
        Socket.Close();
    }

    public void Dispose()
    {
        Close();
        Socket.Dispose();
    }
}
