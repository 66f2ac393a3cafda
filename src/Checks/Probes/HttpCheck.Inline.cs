using System.Buffers;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// The lean path (<see cref="IInlineCheck"/>) for plain status-only checks, the common kind: connect, send, wait for
/// the reply, recv, judge the status line, each step called by the loop's event or deadline (<see cref="OnWaitDone"/>)
/// with no async machinery. HTTPS and body matches run <see cref="RunAsync"/> and hand its result on. Same syscalls,
/// verdicts and reasons as <see cref="RunAsync"/>.
/// </summary>
internal sealed partial class HttpCheck
{
    private static readonly CheckResult s_cancelled = CheckResult.Error("cancelled", TimeSpan.Zero);
    private ICheckCompletion? _completion;
    private long _inlineStart;
    private byte[]? _inlineBuffer;
    private int _filled;
    private int _sent;
    private volatile bool _cancelled;
    private ValueTaskAwaiter<CheckResult> _awaiter;
    private Action? _onRunAsyncDone;

    public void Start(ICheckCompletion completion)
    {
        _cancelled = false;
        if (_channel.IsTls || _matcher is not null)
        {
            StartRunAsync(completion);
            return;
        }
        var socket = _channel.Socket;
        var start = socket.Timestamp();
        if (_channel.Begin(start) is { } notStarted)
        {
            completion.OnCheckCompleted(notStarted);
            return;
        }
        _inlineStart = start;
        _completion = completion;
        _filled = 0;
        _sent = 0;
        var rc = socket.Connect(this);
        if (rc != ProbeSocket.Pending)
        {
            Step(rc);
        }
    }

    public void OnWaitDone(int result)
    {
        if (result == -ReadinessWaiter.ECANCELED)
        {
            Finish(s_cancelled);
            return;
        }
        Step(_channel.Phase == Phase.Connecting ? _channel.Socket.ConnectOutcome(result) : result);
    }

    /// <summary>Ends the run in progress with an Error "cancelled" (a stopping engine); a finished run is not touched.</summary>
    public void Cancel()
    {
        _cancelled = true;
        _channel.Cancel();
    }

    /// <summary>Moves the run on after a connect outcome or a wait's outcome (mask, or −errno); returns once it waits or has ended.</summary>
    private void Step(int rc)
    {
        if (rc < 0)
        {
            Finish(_channel.Failed(rc, _inlineStart));
            return;
        }
        var socket = _channel.Socket;
        if (_channel.Phase is Phase.Connecting or Phase.SendingRequest)
        {
            _channel.Phase = Phase.SendingRequest;
            while (_sent < _request.Length)
            {
                var n = socket.TrySend(_request.AsSpan(_sent));
                if (n == -LibC.EAGAIN)
                {
                    Await(LibC.EPOLLOUT);
                    return;
                }
                if (n < 0)
                {
                    Finish(_channel.Failed(n, _inlineStart));
                    return;
                }
                _sent += n;
            }
            // The reply cannot be there yet: wait before renting a buffer (thousands of waiting checks hold none).
            _channel.Phase = Phase.ReadingStatusLine;
            Await(LibC.EPOLLIN);
            return;
        }
        _inlineBuffer ??= ArrayPool<byte>.Shared.Rent(HeaderLimit);
        while (true)
        {
            var n = socket.TryReceive(_inlineBuffer.AsSpan(_filled, HeaderLimit - _filled));
            if (n == -LibC.EAGAIN)
            {
                Await(LibC.EPOLLIN);
                return;
            }
            _filled += Math.Max(n, 0);
            // Without a body match the status line decides: a verdict, or more bytes of the line to read.
            if (Judge(_inlineBuffer.AsSpan(0, _filled), n, _inlineStart, out _) is { } verdict)
            {
                Finish(verdict);
                return;
            }
        }
    }

    private void Await(uint events)
    {
        var err = _channel.Socket.Wait(events, this);
        if (err != 0)
        {
            Finish(_channel.Failed(-err, _inlineStart));
        }
    }

    private void Finish(in CheckResult result)
    {
        if (_inlineBuffer is { } buffer)
        {
            _inlineBuffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _channel.Close();
        var completion = _completion!;
        _completion = null;
        completion.OnCheckCompleted(result);
    }

    /// <summary>HTTPS and body matches: the async run, its result handed to <paramref name="completion"/> when it ends.</summary>
    private void StartRunAsync(ICheckCompletion completion)
    {
        var pending = RunAsync();
        if (pending.IsCompleted)
        {
            completion.OnCheckCompleted(pending.Result);
            return;
        }
        _completion = completion;
        _awaiter = pending.GetAwaiter();
        _awaiter.UnsafeOnCompleted(_onRunAsyncDone ??= OnRunAsyncDone);
    }

    private void OnRunAsyncDone()
    {
        var result = _awaiter.GetResult();
        _awaiter = default;
        var completion = _completion!;
        _completion = null;
        completion.OnCheckCompleted(_cancelled ? s_cancelled : result);
    }
}
