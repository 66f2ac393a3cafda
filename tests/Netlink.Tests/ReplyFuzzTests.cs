using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Ipvs.Fuzzing;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

/// <summary>
/// Fuzzes everything that reads a kernel datagram: the message and attribute readers, NLMSG_ERROR with extended-ACK
/// TLVs, and the IPVS decoders (service, destination, info, timeouts, the controller's family reply). A malformed
/// reply must end in <see cref="IpvsException"/> (MalformedReply), nothing else.
/// </summary>
public sealed class ReplyFuzzTests
{
    private const ushort Family = 0x24;

    [Fact]
    public void Decode_MutatedKernelReplies_ThrowOnlyMalformedReply()
    {
        var inputs = MutationFuzzer.Run("netlink replies", Seeds(), DecodeDatagram, IsMalformedReply);
        Assert.True(inputs > 0);
    }

    internal static bool IsMalformedReply(Exception e) => e is IpvsException { Kind: IpvsErrorKind.MalformedReply };

    /// <summary>Reads a datagram the way the connection and the client do, trying every decoder on every data message.</summary>
    internal static void DecodeDatagram(byte[] datagram)
    {
        var r = new MessageReader(datagram);
        while (r.MoveNext())
        {
            var h = r.Header;
            if (h.nlmsg_type == LinuxNetlink.NLMSG_ERROR)
            {
                _ = NetlinkError.Parse(h.nlmsg_flags, r.Payload);
                continue;
            }
            if (h.nlmsg_type < LinuxNetlink.NLMSG_MIN_TYPE)
            {
                continue;
            }
            var payload = r.Payload.ToArray();
            Try(() => IpvsDecoder.DecodeService(payload));
            Try(() => IpvsDecoder.DecodeDestination(payload, AddressFamily.InterNetwork));
            Try(() => IpvsDecoder.DecodeDestination(payload, AddressFamily.InterNetworkV6));
            Try(() => IpvsDecoder.DecodeInfo(payload));
            Try(() => IpvsDecoder.DecodeTimeouts(payload));
            Try(() => FamilyResolver.Parse(payload));
        }
    }

    private static void Try(Action decode)
    {
        try
        {
            decode();
        }
        catch (Exception e) when (IsMalformedReply(e))
        {
        }
    }

    private static List<byte[]> Seeds()
    {
        var v4 = new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.1.2.3:80")), "wrr",
            ServiceFlags.None, 300, 0xFFFFFF00, null);
        var v6 = new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Udp, IPEndPoint.Parse("[2001:db8::1]:53")), "mh",
            ServiceFlags.None, 0, 64, "sip");
        var mark = new ServiceConfig(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), "rr");
        var dest4 = new DestinationConfig(IPAddress.Parse("10.1.2.10"), 8080, ForwardMethod.Tunnel, 5, 100, 10);
        var dest6 = new DestinationConfig(IPAddress.Parse("2001:db8::10"), 53, ForwardMethod.Masquerade, 1);
        return
        [
            Datagram(
                Message(IpVs.IPVS_CMD_NEW_SERVICE, w => { Service(w, v4, wide: true); }),
                Message(IpVs.IPVS_CMD_NEW_SERVICE, w => { Service(w, v6, wide: false); }),
                Message(IpVs.IPVS_CMD_NEW_SERVICE, w => { Service(w, mark, wide: true); }),
                Done()),
            Datagram(
                Message(IpVs.IPVS_CMD_NEW_DEST, w => Destination(w, dest4)),
                Message(IpVs.IPVS_CMD_NEW_DEST, w => Destination(w, dest6)),
                Done()),
            Datagram(
                Message(IpVs.IPVS_CMD_SET_INFO, w => { w.PutU32(IpVs.IPVS_INFO_ATTR_VERSION, 0x010203); w.PutU32(IpVs.IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096); }),
                Message(IpVs.IPVS_CMD_SET_CONFIG, w =>
                {
                    w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP, 900);
                    w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 120);
                    w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_UDP, 300);
                }),
                Message(LinuxNetlink.CTRL_CMD_NEWFAMILY, w =>
                {
                    w.PutString(LinuxNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS");
                    w.PutU16(LinuxNetlink.CTRL_ATTR_FAMILY_ID, Family);
                    w.PutU32(LinuxNetlink.CTRL_ATTR_VERSION, 1);
                    w.PutU32(LinuxNetlink.CTRL_ATTR_MAXATTR, 10);
                })),
            Datagram(
                FakeKernel.Ack(9, 60, Family, 5, -17, 4242, "destination already exists"),
                FakeKernel.Ack(10, 60, Family, 5, 0, 4242),
                UncappedAck(11, -2, "no such service")),
        ];
    }

    /// <summary>A service nest as the kernel dumps it: identity, scheduler, flags, timeout, netmask, counters.</summary>
    private static void Service(NetlinkWriter w, ServiceConfig s, bool wide)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
        {
            w.PutU16(IpVs.IPVS_SVC_ATTR_AF, IpvsEncoder.ToLinuxFamily(s.Key.Family));
            if (s.Key.IsFirewallMark)
            {
                w.PutU32(IpVs.IPVS_SVC_ATTR_FWMARK, s.Key.FirewallMark);
            }
            else
            {
                w.PutU16(IpVs.IPVS_SVC_ATTR_PROTOCOL, (ushort)s.Key.Protocol);
                w.PutBytes(IpVs.IPVS_SVC_ATTR_ADDR, Address16(s.Key.Address!));
                w.PutBe16(IpVs.IPVS_SVC_ATTR_PORT, s.Key.Port);
            }
            w.PutString(IpVs.IPVS_SVC_ATTR_SCHED_NAME, s.Scheduler);
            if (s.PersistenceEngine is { } pe)
            {
                w.PutString(IpVs.IPVS_SVC_ATTR_PE_NAME, pe);
            }
            w.PutBytes(IpVs.IPVS_SVC_ATTR_FLAGS, new byte[8]);
            w.PutU32(IpVs.IPVS_SVC_ATTR_TIMEOUT, s.PersistenceTimeoutSeconds);
            w.PutU32(IpVs.IPVS_SVC_ATTR_NETMASK, s.Netmask);
            DecoderTests.Stats(w, wide ? IpVs.IPVS_SVC_ATTR_STATS64 : IpVs.IPVS_SVC_ATTR_STATS, wide, 42);
        }
    }

    private static void Destination(NetlinkWriter w, DestinationConfig d)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
        {
            w.PutBytes(IpVs.IPVS_DEST_ATTR_ADDR, Address16(d.Address));
            w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, d.Port);
            w.PutU32(IpVs.IPVS_DEST_ATTR_FWD_METHOD, (uint)d.Forward);
            w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, (uint)d.Weight);
            w.PutU32(IpVs.IPVS_DEST_ATTR_U_THRESH, d.UpperThreshold);
            w.PutU32(IpVs.IPVS_DEST_ATTR_L_THRESH, d.LowerThreshold);
            w.PutU32(IpVs.IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
            w.PutU32(IpVs.IPVS_DEST_ATTR_INACT_CONNS, 4);
            w.PutU32(IpVs.IPVS_DEST_ATTR_PERSIST_CONNS, 5);
            w.PutU16(IpVs.IPVS_DEST_ATTR_ADDR_FAMILY, IpvsEncoder.ToLinuxFamily(d.Address.AddressFamily));
            w.PutU8(IpVs.IPVS_DEST_ATTR_TUN_TYPE, 1);
            w.PutBe16(IpVs.IPVS_DEST_ATTR_TUN_PORT, 6081);
            w.PutU16(IpVs.IPVS_DEST_ATTR_TUN_FLAGS, 1);
            DecoderTests.Stats(w, IpVs.IPVS_DEST_ATTR_STATS, wide: false, 7);
            DecoderTests.Stats(w, IpVs.IPVS_DEST_ATTR_STATS64, wide: true, 7);
        }
    }

    // union nf_inet_addr: 16 bytes, IPv4 in front.
    private static byte[] Address16(IPAddress a)
    {
        var b = new byte[16];
        a.GetAddressBytes().CopyTo(b, 0);
        return b;
    }

    private static byte[] Message(byte cmd, Action<NetlinkWriter> attributes)
    {
        var w = new NetlinkWriter();
        w.BeginMessage(Family, LinuxNetlink.NLM_F_MULTI, 9);
        w.WriteGenlHeader(cmd, 1);
        attributes(w);
        w.EndMessage();
        return w.Written.ToArray();
    }

    private static byte[] Done()
    {
        var b = new byte[20];
        b[0] = 20;
        b[4] = (byte)LinuxNetlink.NLMSG_DONE;
        return b;
    }

    /// <summary>An NLMSG_ERROR that echoes the whole request (no NLM_F_CAPPED), then the extended-ACK text.</summary>
    private static byte[] UncappedAck(uint seq, int error, string text)
    {
        var request = Message(IpVs.IPVS_CMD_NEW_DEST, w => w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, 1));
        var tlv = new NetlinkWriter();
        tlv.PutString(LinuxNetlink.NLMSGERR_ATTR_MSG, text);
        var len = 16 + 4 + request.Length + tlv.Length;
        var b = new byte[len];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)len);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), LinuxNetlink.NLMSG_ERROR);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), LinuxNetlink.NLM_F_ACK_TLVS);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), seq);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), error);
        request.CopyTo(b, 20);
        tlv.Written.CopyTo(b.AsSpan(20 + request.Length));
        return b;
    }

    private static byte[] Datagram(params byte[][] messages) => [.. messages.SelectMany(m => m)];
}
