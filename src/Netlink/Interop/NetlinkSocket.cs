using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Ipvs.Netlink.Interop;

/// <summary>
/// A bound, non-blocking AF_NETLINK socket. Every receive is bounded by a deadline (poll), EINTR is retried,
/// and errno is read right after the call that set it. Not thread-safe: one caller at a time.
/// </summary>
internal sealed unsafe class NetlinkSocket : INetlinkTransport
{
    private readonly SafeNetlinkHandle _handle;

    private NetlinkSocket(SafeNetlinkHandle handle, uint portId, int receiveBufferBytes)
    {
        _handle = handle;
        PortId = portId;
        ReceiveBufferBytes = receiveBufferBytes;
    }

    /// <summary>Our port id as the kernel assigned it (autobind); kernel replies carry it in nlmsg_pid.</summary>
    public uint PortId { get; }

    /// <summary>SO_RCVBUF as the kernel reports it (already doubled by the kernel).</summary>
    public int ReceiveBufferBytes { get; }

    /// <summary>Opens, tunes and binds a socket. Throws <see cref="IpvsException"/> with the errno.</summary>
    public static NetlinkSocket Open(int protocol, int wantedBufferBytes)
    {
        int fd = socket(LinuxNetlink.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
        if (fd < 0)
        {
            throw SocketError("socket", errno);
        }
        var handle = new SafeNetlinkHandle(fd);
        try
        {
            // Bigger buffers let a batch queue hundreds of ACKs without overrunning (ENOBUFS). SO_*BUFFORCE
            // passes net.core.[rw]mem_max but needs CAP_NET_ADMIN; without it the plain option still applies
            // up to the cap.
            SetBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, wantedBufferBytes);
            SetBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, wantedBufferBytes);

            // Extended ACK (4.12+) adds the kernel's text; CAP_ACK (4.3+) stops errors echoing the whole request.
            // Older kernels answer ENOPROTOOPT: both are optional.
            SetOptional(fd, LinuxNetlink.SOL_NETLINK, LinuxNetlink.NETLINK_EXT_ACK, 1);
            SetOptional(fd, LinuxNetlink.SOL_NETLINK, LinuxNetlink.NETLINK_CAP_ACK, 1);

            var addr = new sockaddr_nl { nl_family = LinuxNetlink.AF_NETLINK };
            if (bind(fd, (sockaddr*)&addr, (uint)sizeof(sockaddr_nl)) != 0)
            {
                throw SocketError("bind", errno);
            }
            socklen_t len = (uint)sizeof(sockaddr_nl);
            if (getsockname(fd, (sockaddr*)&addr, &len) != 0)
            {
                throw SocketError("getsockname", errno);
            }
            int rcv = 0;
            socklen_t optlen = sizeof(int);
            getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &optlen);
            return new NetlinkSocket(handle, addr.nl_pid, rcv);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one datagram to the kernel (nl_pid 0). The kernel runs every message in it before returning.</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            var dst = new sockaddr_nl { nl_family = LinuxNetlink.AF_NETLINK };
            fixed (byte* p = datagram)
            {
                while (true)
                {
                    long n = sendto(fd, p, datagram.Length, 0, (sockaddr*)&dst, (uint)sizeof(sockaddr_nl));
                    if (n >= 0)
                    {
                        return;
                    }
                    int e = errno;
                    if (e != Errno.EINTR)
                    {
                        throw SocketError("sendto", e);
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>, waiting at most until <paramref name="deadline"/>
    /// (Environment.TickCount64 milliseconds). Returns its length, or -1 when the deadline passed.
    /// A datagram larger than the buffer is reported (MSG_TRUNC), never silently cut.
    /// </summary>
    public int Receive(Span<byte> buffer, long deadline)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    var iov = new iovec { iov_base = p, iov_len = buffer.Length };
                    sockaddr_nl from;
                    var msg = new msghdr { msg_name = &from, msg_namelen = (uint)sizeof(sockaddr_nl), msg_iov = &iov, msg_iovlen = 1 };
                    // MSG_TRUNC makes the return value the datagram's real length even when it did not fit.
                    long n = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
                    if (n >= 0)
                    {
                        if (n > buffer.Length || (msg.msg_flags & MSG_TRUNC) != 0)
                        {
                            throw new IpvsException(IpvsErrorKind.Truncated, 0,
                                $"a netlink reply of {n} bytes did not fit the {buffer.Length}-byte receive buffer");
                        }
                        if (from.nl_pid != 0)
                        {
                            continue; // not from the kernel: ignore
                        }
                        return (int)n;
                    }
                    int e = errno;
                    if (e == Errno.EINTR)
                    {
                        continue;
                    }
                    if (e == Errno.ENOBUFS)
                    {
                        throw new IpvsException(IpvsErrorKind.ReceiveQueueOverrun, e,
                            "the netlink receive queue overflowed (ENOBUFS): replies were lost; re-read the table");
                    }
                    if (e != Errno.EAGAIN)
                    {
                        throw SocketError("recvmsg", e);
                    }
                    long wait = deadline - Environment.TickCount64;
                    if (wait <= 0)
                    {
                        return -1;
                    }
                    var pfd = new pollfd { fd = fd, events = POLLIN };
                    int r = poll(&pfd, 1, (int)Math.Min(wait, int.MaxValue));
                    if (r < 0)
                    {
                        int pe = Marshal.GetLastSystemError();
                        if (pe != Errno.EINTR)
                        {
                            throw SocketError("poll", pe);
                        }
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    internal static IpvsException SocketError(string call, int e)
    {
        if (call == "socket" && e is Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT)
        {
            return new IpvsException(IpvsErrorKind.NotAvailable, e, "this kernel has no generic netlink (AF_NETLINK socket refused)");
        }
        return new IpvsException(IpvsErrorKind.SocketError, e, $"{call} on the netlink socket failed: {Marshal.GetPInvokeErrorMessage(e)}");
    }

    private static void SetBuffer(int fd, int forceOption, int option, int bytes)
    {
        if (setsockopt(fd, SOL_SOCKET, forceOption, &bytes, sizeof(int)) == 0)
        {
            return;
        }
        setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof(int)); // capped by the kernel; best effort
    }

    private static void SetOptional(int fd, int level, int option, int value)
    {
        if (setsockopt(fd, level, option, &value, sizeof(int)) != 0)
        {
            int e = errno;
            if (e != Errno.ENOPROTOOPT)
            {
                throw SocketError("setsockopt", e);
            }
        }
    }
}
