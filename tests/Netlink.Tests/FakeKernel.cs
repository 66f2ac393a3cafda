using System.Buffers.Binary;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

/// <summary>
/// A fake kernel at the datagram seam: parses each request datagram and queues reply datagrams, as the
/// kernel does inside sendmsg. Tests script the answers with <see cref="OnRequest"/>.
/// </summary>
internal sealed class FakeKernel : INetlinkTransport
{
    public const ushort FamilyId = 0x24;

    private readonly Queue<byte[]> _replies = new();

    public uint PortId { get; init; } = 4242;

    public int ReceiveBufferBytes { get; init; } = 425984;

    public ushort CurrentFamilyId { get; set; } = FamilyId;

    public bool HasIpvs { get; set; } = true;

    public int InfoErrno { get; set; }

    public List<int> DatagramMessageCounts { get; } = [];

    public List<(byte Cmd, uint Seq)> Requests { get; } = [];

    /// <summary>Answers one IPVS request (cmd, seq, whole message); default: ACK.</summary>
    public Func<byte, uint, byte[], IEnumerable<byte[]>>? OnRequest { get; set; }

    public void Enqueue(byte[] datagram) => _replies.Enqueue(datagram);

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var r = new MessageReader(datagram);
        int count = 0;
        while (r.MoveNext())
        {
            count++;
            nlmsghdr h = r.Header;
            byte cmd = r.Payload[0];
            byte[] whole = new byte[h.nlmsg_len];
            BinaryPrimitives.WriteUInt32LittleEndian(whole, h.nlmsg_len);
            BinaryPrimitives.WriteUInt16LittleEndian(whole.AsSpan(4), h.nlmsg_type);
            BinaryPrimitives.WriteUInt16LittleEndian(whole.AsSpan(6), h.nlmsg_flags);
            BinaryPrimitives.WriteUInt32LittleEndian(whole.AsSpan(8), h.nlmsg_seq);
            r.Payload.CopyTo(whole.AsSpan(16));
            if (h.nlmsg_type == LinuxNetlink.GENL_ID_CTRL)
            {
                if (!HasIpvs)
                {
                    _replies.Enqueue(Ack(h, -Errno.ENOENT));
                    continue;
                }
                _replies.Enqueue(FamilyReply(h.nlmsg_seq));
                _replies.Enqueue(Ack(h, 0));
                continue;
            }
            if (h.nlmsg_type != CurrentFamilyId)
            {
                _replies.Enqueue(Ack(h, -Errno.ENOENT)); // genl_rcv_msg: unknown family
                continue;
            }
            Requests.Add((cmd, h.nlmsg_seq));
            if (cmd == 15)
            {
                if (InfoErrno != 0)
                {
                    _replies.Enqueue(Ack(h, -InfoErrno));
                    continue;
                }
                _replies.Enqueue(Reply(h.nlmsg_seq, 14, w =>
                {
                    w.PutU32(1, 0x010201);
                    w.PutU32(2, 4096);
                }));
                _replies.Enqueue(Ack(h, 0));
                continue;
            }
            IEnumerable<byte[]> answers = OnRequest?.Invoke(cmd, h.nlmsg_seq, whole) ?? [Ack(h, 0)];
            foreach (byte[] a in answers)
            {
                _replies.Enqueue(a);
            }
        }
        DatagramMessageCounts.Add(count);
    }

    /// <summary>The largest buffer a receive offered (the kernel sizes dump parts by it).</summary>
    public int LargestReceiveBuffer { get; private set; }

    public int Receive(Span<byte> buffer, long deadline)
    {
        LargestReceiveBuffer = Math.Max(LargestReceiveBuffer, buffer.Length);
        if (!_replies.TryDequeue(out byte[]? d))
        {
            return -1; // nothing queued: behave as a passed deadline
        }
        d.CopyTo(buffer);
        return d.Length;
    }

    public void Dispose()
    {
    }

    public byte[] Ack(in nlmsghdr request, int error, uint? pid = null, string? text = null) =>
        Ack(request.nlmsg_seq, request.nlmsg_len, request.nlmsg_type, request.nlmsg_flags, error, pid ?? PortId, text);

    public static byte[] Ack(uint seq, uint echoedLen, ushort echoedType, ushort echoedFlags, int error, uint pid, string? text = null)
    {
        // struct nlmsgerr with NLM_F_CAPPED (header-only echo), then NLMSGERR_ATTR_MSG when given.
        int len = 16 + 4 + 16 + (text is null ? 0 : LinuxNetlink.Align(4 + text.Length + 1));
        byte[] b = new byte[len];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)len);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), LinuxNetlink.NLMSG_ERROR);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), (ushort)(LinuxNetlink.NLM_F_CAPPED | (text is null ? 0 : LinuxNetlink.NLM_F_ACK_TLVS)));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), pid);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), error);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), echoedLen);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(24), echoedType);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(26), echoedFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), seq);
        if (text is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(36), (ushort)(4 + text.Length + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(38), LinuxNetlink.NLMSGERR_ATTR_MSG);
            System.Text.Encoding.ASCII.GetBytes(text, b.AsSpan(40));
        }
        return b;
    }

    /// <summary>A data message from the kernel with our port id.</summary>
    public byte[] Reply(uint seq, byte cmd, Action<NetlinkWriter> attributes, ushort flags = 0, ushort? type = null)
    {
        var w = new NetlinkWriter();
        w.BeginMessage(type ?? CurrentFamilyId, flags, seq);
        w.WriteGenlHeader(cmd, 1);
        attributes(w);
        w.EndMessage();
        byte[] b = w.Written.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), PortId);
        return b;
    }

    public byte[] Done(uint seq)
    {
        byte[] b = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(b, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), LinuxNetlink.NLMSG_DONE);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), LinuxNetlink.NLM_F_MULTI);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), PortId);
        return b;
    }

    private byte[] FamilyReply(uint seq) => Reply(seq, LinuxNetlink.CTRL_CMD_NEWFAMILY, w =>
    {
        w.PutString(LinuxNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS");
        w.PutU16(LinuxNetlink.CTRL_ATTR_FAMILY_ID, CurrentFamilyId);
        w.PutU32(LinuxNetlink.CTRL_ATTR_VERSION, 1);
        w.PutU32(4, 0);
        w.PutU32(LinuxNetlink.CTRL_ATTR_MAXATTR, 6);
    }, type: LinuxNetlink.GENL_ID_CTRL);
}
