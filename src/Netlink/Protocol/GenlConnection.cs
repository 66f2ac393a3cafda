using System.Buffers;
using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Protocol;

/// <summary>
/// Request/response over one netlink socket: sequence numbers, port id checks, stale replies (other seq)
/// discarded, NLMSG_ERROR decoded, dumps read to NLMSG_DONE, every wait bounded by <see cref="Timeout"/>.
/// Not thread-safe: one caller at a time (it owns one writer and one receive buffer).
/// </summary>
internal sealed class GenlConnection : IDisposable
{
    // Kernel dump datagrams are capped just under 32 KiB; 64 KiB leaves room and MSG_TRUNC catches the rest.
    private const int ReceiveBufferSize = 64 * 1024;

    /// <summary>
    /// How much of the buffer each receive offers the kernel. The kernel sizes every dump datagram to the largest
    /// receive the socket has seen (up to 32 KiB), allocating (and, with init_on_alloc, zeroing) that much per part:
    /// a table read dumps each service's destinations separately, two datagrams each, so 500 services cost 32 MiB
    /// of kernel allocation per read, for a few hundred bytes of answer each. Offering one page (the kernel's own
    /// minimum, NLMSG_GOODSIZE, is just under it) keeps each part to one page; a bigger dump just takes more parts.
    /// Replies that are not dumps are allocated at that minimum too, so they fit.
    /// </summary>
    internal static readonly int ReceiveLength = Math.Min(Environment.SystemPageSize, 8192);

    private readonly INetlinkTransport _socket;
    private readonly byte[] _rx = new byte[ReceiveBufferSize];
    private uint _seq;

    public GenlConnection(INetlinkTransport transport, TimeSpan timeout, uint firstSeq)
    {
        _socket = transport;
        _seq = firstSeq;
        Timeout = timeout;
    }

    /// <summary>A real generic-netlink socket; 4 MiB buffers where CAP_NET_ADMIN allows (SO_*BUFFORCE).</summary>
    public static GenlConnection Open(TimeSpan timeout) =>
        // Start from a time-derived seq so a new socket's replies cannot be mistaken for an old one's.
        new(NetlinkSocket.Open(LinuxNetlink.NETLINK_GENERIC, 4 * 1024 * 1024), timeout, (uint)Environment.TickCount);

    public NetlinkWriter Writer { get; } = new(8192);

    public TimeSpan Timeout { get; set; }

    public uint PortId => _socket.PortId;

    public int ReceiveBufferBytes => _socket.ReceiveBufferBytes;

    public uint NextSeq()
    {
        _seq++;
        if (_seq == 0)
        {
            _seq = 1;
        }
        return _seq;
    }

    /// <summary>Sends what <see cref="Writer"/> holds as one datagram.</summary>
    public void Send() => _socket.Send(Writer.Written);

    /// <summary>
    /// Sends the writer's single request (seq <paramref name="seq"/>, NLM_F_ACK set) and waits for its
    /// NLMSG_ERROR. Data replies with that seq (do-mode GETs) are handed to <paramref name="onReply"/>.
    /// </summary>
    public NetlinkError Request<TState>(uint seq, TState state, ReadOnlySpanAction<byte, TState>? onReply)
    {
        Send();
        long deadline = Deadline();
        while (true)
        {
            var r = new MessageReader(ReceiveOrThrow(deadline));
            while (r.MoveNext())
            {
                nlmsghdr h = r.Header;
                if (!IsOurs(h, seq))
                {
                    continue;
                }
                if (h.nlmsg_type == LinuxNetlink.NLMSG_ERROR)
                {
                    return NetlinkError.Parse(h.nlmsg_flags, r.Payload);
                }
                if (h.nlmsg_type >= LinuxNetlink.NLMSG_MIN_TYPE)
                {
                    onReply?.Invoke(r.Payload, state);
                }
            }
        }
    }

    /// <summary>
    /// Sends the writer's dump request and hands every part to <paramref name="onMessage"/> until NLMSG_DONE.
    /// Returns the error if the dump could not start. NLM_F_DUMP_INTR is reported after the dump is drained,
    /// so the socket stays usable.
    /// </summary>
    public NetlinkError Dump<TState>(uint seq, TState state, ReadOnlySpanAction<byte, TState> onMessage)
    {
        Send();
        long deadline = Deadline();
        bool interrupted = false;
        while (true)
        {
            var r = new MessageReader(ReceiveOrThrow(deadline));
            while (r.MoveNext())
            {
                nlmsghdr h = r.Header;
                if (!IsOurs(h, seq))
                {
                    continue;
                }
                interrupted |= (h.nlmsg_flags & LinuxNetlink.NLM_F_DUMP_INTR) != 0;
                switch (h.nlmsg_type)
                {
                    case LinuxNetlink.NLMSG_DONE:
                        if (interrupted)
                        {
                            throw new IpvsException(IpvsErrorKind.DumpInterrupted, 0,
                                "the kernel changed the table during the dump (NLM_F_DUMP_INTR); dump again");
                        }
                        return default;
                    case LinuxNetlink.NLMSG_ERROR:
                        return NetlinkError.Parse(h.nlmsg_flags, r.Payload);
                    case >= LinuxNetlink.NLMSG_MIN_TYPE:
                        onMessage(r.Payload, state);
                        break;
                }
            }
            // Each datagram of a long dump gets a fresh deadline: the bound is per kernel answer.
            deadline = Deadline();
        }
    }

    /// <summary>
    /// After a datagram carrying requests with seqs firstSeq .. firstSeq+count-1 (each with NLM_F_ACK) was sent,
    /// reads their ACKs. errnos[i] and messages[i] receive request i's outcome. Stale replies are discarded.
    /// </summary>
    public void CollectAcks(uint firstSeq, Span<int> errnos, Span<string?> messages)
    {
        int count = errnos.Length;
        int pending = count;
        Span<bool> seen = count <= 1024 ? stackalloc bool[count] : new bool[count];
        long deadline = Deadline();
        while (pending > 0)
        {
            var r = new MessageReader(ReceiveOrThrow(deadline));
            while (r.MoveNext())
            {
                nlmsghdr h = r.Header;
                uint index = unchecked(h.nlmsg_seq - firstSeq);
                if (h.nlmsg_pid != PortId || index >= (uint)count || h.nlmsg_type != LinuxNetlink.NLMSG_ERROR || seen[(int)index])
                {
                    continue;
                }
                NetlinkError e = NetlinkError.Parse(h.nlmsg_flags, r.Payload);
                seen[(int)index] = true;
                errnos[(int)index] = e.Errno;
                messages[(int)index] = e.KernelMessage;
                pending--;
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private bool IsOurs(in nlmsghdr h, uint seq) => h.nlmsg_seq == seq && h.nlmsg_pid == PortId;

    private long Deadline() => Environment.TickCount64 + (long)Timeout.TotalMilliseconds;

    private ReadOnlySpan<byte> ReceiveOrThrow(long deadline)
    {
        int n = _socket.Receive(_rx.AsSpan(0, ReceiveLength), deadline);
        if (n < 0)
        {
            throw new IpvsException(IpvsErrorKind.Timeout, 0,
                $"the kernel did not answer within {Timeout.TotalSeconds:0.###} s");
        }
        return _rx.AsSpan(0, n);
    }
}
