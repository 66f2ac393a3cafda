using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Probes;

namespace Ipvs.Checks.Io;

/// <summary>
/// A non-blocking socket for one probe, reused run after run: open (mark, source bind), connect, send, receive,
/// each bounded by <see cref="Deadline"/> (absolute, Environment.TickCount64 ms). Results are byte counts or −errno;
/// nothing here throws for what the peer does.
/// </summary>
internal sealed class ProbeSocket : IDisposable
{
    private readonly ReadinessWaiter _waiter;
    private readonly EpollLoop _loop;
    private readonly byte[] _remote;
    private readonly byte[]? _source;
    private readonly int _family;
    private readonly uint _mark;
    private int _fd = -1;
    private bool _armed;

    public ProbeSocket(CheckTarget target, EpollLoop? loop = null)
        : this(target, target.EndPoint.Port, loop)
    {
    }

    public ProbeSocket(CheckTarget target, int port, EpollLoop? loop = null)
    {
        _loop = loop ?? EpollLoop.Shared;
        _waiter = new ReadinessWaiter(_loop);
        _remote = SockAddr.Encode(target.EndPoint.Address, port);
        _family = SockAddr.Family(target.EndPoint.Address);
        _source = target.SourceAddress is { } src ? SockAddr.Encode(src, 0) : null;
        _mark = target.FirewallMark;
    }

    public long Deadline { get; set; }

    public int Fd => _fd;

    /// <summary>A timestamp for latencies: the loop pass's own on the loop thread (see <see cref="EpollLoop.Timestamp"/>).</summary>
    public long Timestamp() => _loop.Timestamp();

    public int Family => _family;

    /// <summary>
    /// Starts a probe's run: arms its one deadline (<paramref name="timeout"/> from now) and opens the socket. Null
    /// when ready; else the run's result, an Error (setting a socket up fails only for the check's own reasons).
    /// </summary>
    public CheckResult? Begin(TimeSpan timeout, int type, long start, bool resetOnClose = false)
    {
        Deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var err = Open(type, 0, resetOnClose);
        return err != 0 ? Reasons.SetupFailed(err, Stopwatch.GetElapsedTime(start)) : null;
    }

    /// <summary>Cancelling the run's token cancels the socket's pending wait.</summary>
    public CancellationTokenRegistration CancelOn(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((ProbeSocket)s!).Cancel(), this) : default;

    /// <summary>Opens the socket; 0 or an errno. <paramref name="resetOnClose"/> sets SO_LINGER 0 (no TIME_WAIT, as HAProxy's checks).</summary>
    public unsafe int Open(int type, int protocol, bool resetOnClose = false)
    {
        Close();
        var fd = LibC.socket(_family, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        _fd = fd;
        if (_mark != 0)
        {
            var mark = _mark;
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_MARK, &mark, sizeof(uint)) != 0)
            {
                return Fail();
            }
        }
        if (resetOnClose)
        {
            var l = new LibC.linger { l_onoff = 1, l_linger = 0 };
            _ = LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_LINGER, &l, sizeof(LibC.linger));
        }
        if (_source is not null)
        {
            if (type == LibC.SOCK_STREAM)
            {
                // Let connect() pick the port so many checks from one source address do not exhaust bind()'s ports.
                var one = 1;
                _ = LibC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_BIND_ADDRESS_NO_PORT, &one, sizeof(int));
            }
            fixed (byte* sa = _source)
            {
                if (LibC.bind(fd, sa, _source.Length) != 0)
                {
                    return Fail();
                }
            }
        }
        return 0;
    }

    private int Fail()
    {
        var err = Marshal.GetLastPInvokeError();
        Close();
        return err;
    }

    /// <summary>Connects; 0 once established, else −errno (−ETIMEDOUT at the deadline).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ConnectAsync()
    {
        var rc = StartConnect();
        if (rc != -LibC.EINPROGRESS)
        {
            return rc;
        }
        return ConnectOutcome(await WaitAsync(LibC.EPOLLOUT).ConfigureAwait(false));
    }

    /// <summary>Returned by <see cref="Connect(IReadinessHandler)"/> while the handler's wait is armed.</summary>
    public const int Pending = int.MinValue;

    /// <summary>
    /// The lean path's connect: <see cref="Pending"/> when <paramref name="handler"/> gets the wait's outcome later
    /// (map it with <see cref="ConnectOutcome"/>), else what <see cref="ConnectAsync"/> would return.
    /// </summary>
    public int Connect(IReadinessHandler handler)
    {
        var rc = StartConnect();
        if (rc != -LibC.EINPROGRESS)
        {
            return rc;
        }
        var add = !_armed;
        _armed = true;
        var err = _waiter.Wait(_fd, LibC.EPOLLOUT | LibC.EPOLLRDHUP, add, Deadline, handler);
        return err == 0 ? Pending : -err;
    }

    /// <summary>The lean path's readiness wait: 0 once armed (<paramref name="handler"/> gets the mask or −errno), else the errno.</summary>
    public int Wait(uint events, IReadinessHandler handler)
    {
        var add = !_armed;
        _armed = true;
        return _waiter.Wait(_fd, events | LibC.EPOLLRDHUP, add, Deadline, handler);
    }

    /// <summary>A connect wait's outcome (epoll mask or −errno) as 0 (established) or −errno.</summary>
    public int ConnectOutcome(int ev)
    {
        if (ev < 0)
        {
            return ev;
        }
        if ((ev & (LibC.EPOLLERR | LibC.EPOLLHUP)) == 0)
        {
            return 0;
        }
        return -SocketError();
    }

    public unsafe int StartConnect()
    {
        fixed (byte* sa = _remote)
        {
            while (true)
            {
                if (LibC.connect(_fd, sa, _remote.Length) == 0)
                {
                    return 0;
                }
                var err = Marshal.GetLastPInvokeError();
                if (err != LibC.EINTR)
                {
                    return -err;
                }
            }
        }
    }

    public unsafe int SocketError()
    {
        int err = 0, len = sizeof(int);
        _ = LibC.getsockopt(_fd, LibC.SOL_SOCKET, LibC.SO_ERROR, &err, &len);
        return err == 0 ? LibC.ECONNRESET : err;
    }

    /// <summary>Waits for readiness (or the deadline): the epoll mask or −errno.</summary>
    public ValueTask<int> WaitAsync(uint events)
    {
        var add = !_armed;
        _armed = true;
        return _waiter.WaitAsync(_fd, events | LibC.EPOLLRDHUP, add, Deadline);
    }

    /// <summary>Sends all of <paramref name="data"/>; its length or −errno.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SendAsync(ReadOnlyMemory<byte> data)
    {
        var sent = 0;
        while (sent < data.Length)
        {
            var n = TrySend(data.Span[sent..]);
            if (n >= 0)
            {
                sent += n;
                continue;
            }
            if (n != -LibC.EAGAIN)
            {
                return n;
            }
            var ev = await WaitAsync(LibC.EPOLLOUT).ConfigureAwait(false);
            if (ev < 0)
            {
                return ev;
            }
        }
        return sent;
    }

    public unsafe int TrySend(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                var n = LibC.send(_fd, p, data.Length, LibC.MSG_NOSIGNAL);
                if (n >= 0)
                {
                    return (int)n;
                }
                var err = Marshal.GetLastPInvokeError();
                if (err != LibC.EINTR)
                {
                    return -err;
                }
            }
        }
    }

    /// <summary>Receives into <paramref name="buffer"/>: bytes read (0 at end of stream) or −errno. Waits first when asked (the reply cannot be there yet).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, bool waitFirst)
    {
        while (true)
        {
            if (waitFirst)
            {
                var ev = await WaitAsync(LibC.EPOLLIN).ConfigureAwait(false);
                if (ev < 0)
                {
                    return ev;
                }
            }
            var n = TryReceive(buffer.Span);
            if (n != -LibC.EAGAIN)
            {
                return n;
            }
            waitFirst = true;
        }
    }

    public unsafe int TryReceive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = LibC.recv(_fd, p, buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }
                var err = Marshal.GetLastPInvokeError();
                if (err != LibC.EINTR)
                {
                    return -err;
                }
            }
        }
    }

    public void Cancel() => _waiter.Cancel();

    public void Close()
    {
        if (_fd >= 0)
        {
            _ = LibC.close(_fd);
            _fd = -1;
            _armed = false;
        }
    }

    public void Dispose()
    {
        Close();
        _waiter.Dispose();
    }
}
