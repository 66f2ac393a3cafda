using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

public class DecoderTests
{
    /// <summary>The payload after nlmsghdr of a message built by <paramref name="attributes"/>.</summary>
    internal static byte[] Payload(byte cmd, Action<NetlinkWriter> attributes)
    {
        var w = new NetlinkWriter();
        w.BeginMessage(0x24, 0, 1);
        w.WriteGenlHeader(cmd, 1);
        attributes(w);
        w.EndMessage();
        return w.Written[16..].ToArray();
    }

    internal static void Stats(NetlinkWriter w, ushort type, bool wide, ulong conns)
    {
        using (w.BeginNest(type))
        {
            for (ushort a = 1; a <= 10; a++)
            {
                ulong v = a == 1 ? conns : a * 10ul;
                if (wide || a is 4 or 5)
                {
                    w.PutU64(a, v);
                }
                else
                {
                    w.PutU32(a, (uint)v);
                }
            }
        }
    }

    [Fact]
    public void DecodeDestination_NoAddressFamily_TakesServiceFamily()
    {
        // A 3.10-era reply: no ADDR_FAMILY, no STATS64, 16-byte address with IPv4 in front.
        byte[] p = Payload(IpVs.IPVS_CMD_NEW_DEST, w =>
        {
            using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
            {
                Span<byte> a = w.Attribute(IpVs.IPVS_DEST_ATTR_ADDR, 16);
                a.Clear();
                a[0] = 10; a[3] = 2;
                w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, 8080);
                w.PutU32(IpVs.IPVS_DEST_ATTR_FWD_METHOD, 0x1000 | 2); // high bits are connection flags
                w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, 7);
                w.PutU32(IpVs.IPVS_DEST_ATTR_U_THRESH, 100);
                w.PutU32(IpVs.IPVS_DEST_ATTR_L_THRESH, 10);
                w.PutU32(IpVs.IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
                w.PutU32(IpVs.IPVS_DEST_ATTR_INACT_CONNS, 4);
                w.PutU32(IpVs.IPVS_DEST_ATTR_PERSIST_CONNS, 5);
                Stats(w, IpVs.IPVS_DEST_ATTR_STATS, wide: false, conns: 99);
            }
        });
        DestinationEntry d = IpvsDecoder.DecodeDestination(p, AddressFamily.InterNetwork);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), d.Config.Address);
        Assert.Equal(8080, d.Config.Port);
        Assert.Equal(ForwardMethod.Tunnel, d.Config.Forward);
        Assert.Equal(7, d.Config.Weight);
        Assert.Equal((100u, 10u), (d.Config.UpperThreshold, d.Config.LowerThreshold));
        Assert.Equal((3u, 4u, 5u), (d.ActiveConnections, d.InactiveConnections, d.PersistentConnections));
        Assert.Equal(99ul, d.Stats.Connections);
        Assert.Equal(100ul, d.Stats.OutBytesPerSecond);
    }

    [Fact]
    public void DecodeDestination_BothStats_Prefers64Bit()
    {
        byte[] p = Payload(IpVs.IPVS_CMD_NEW_DEST, w =>
        {
            using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
            {
                w.PutBytes(IpVs.IPVS_DEST_ATTR_ADDR, IPAddress.Parse("2001:db8::5").GetAddressBytes());
                w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, 443);
                w.PutU16(IpVs.IPVS_DEST_ATTR_ADDR_FAMILY, 10);
                Stats(w, IpVs.IPVS_DEST_ATTR_STATS, wide: false, conns: 5);
                Stats(w, IpVs.IPVS_DEST_ATTR_STATS64, wide: true, conns: 0x1_0000_0005);
                w.PutU32(99, 1); // unknown attribute: ignored
            }
        });
        DestinationEntry d = IpvsDecoder.DecodeDestination(p, AddressFamily.InterNetworkV6);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), d.Config.Address);
        Assert.Equal(0x1_0000_0005ul, d.Stats.Connections);
    }

    [Fact]
    public void DecodeService_FirewallMarkIpv6_KeyByMarkAndPrefixNetmask()
    {
        byte[] p = Payload(IpVs.IPVS_CMD_NEW_SERVICE, w =>
        {
            using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
            {
                w.PutU16(IpVs.IPVS_SVC_ATTR_AF, 10);
                w.PutU32(IpVs.IPVS_SVC_ATTR_FWMARK, 77);
                w.PutString(IpVs.IPVS_SVC_ATTR_SCHED_NAME, "sh");
                Span<byte> f = w.Attribute(IpVs.IPVS_SVC_ATTR_FLAGS, 8);
                BitConverter.TryWriteBytes(f, 0x3u | 0x8u); // PERSISTENT | HASHED | SCHED1
                BitConverter.TryWriteBytes(f[4..], 0xFFFFFFFFu);
                w.PutU32(IpVs.IPVS_SVC_ATTR_TIMEOUT, 360);
                w.PutU32(IpVs.IPVS_SVC_ATTR_NETMASK, 64);
                Stats(w, IpVs.IPVS_SVC_ATTR_STATS64, wide: true, conns: 1);
            }
        });
        (ServiceConfig s, IpvsStats stats) = IpvsDecoder.DecodeService(p);
        Assert.Equal(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 77), s.Key);
        Assert.Equal("sh", s.Scheduler);
        Assert.Equal(ServiceFlags.Persistent | ServiceFlags.Sched1, s.Flags);
        Assert.Equal(360u, s.PersistenceTimeoutSeconds);
        Assert.Equal(64u, s.Netmask);
        Assert.Equal(1ul, stats.Connections);
        Assert.Equal("FWM 77 IPv6", s.Key.ToString());
    }

    [Fact]
    public void DecodeService_EncodedService_RoundTripsConfiguration()
    {
        var config = new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53)),
            "wrr", ServiceFlags.Persistent, 120, 0xFFFFFF00, "sip");
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.AddService(config));
        (ServiceConfig back, _) = IpvsDecoder.DecodeService(w.Written[16..]);
        Assert.Equal(config, back);
    }

    [Fact]
    public void DecodeInfo_VersionCode_SplitsIntoVersion()
    {
        byte[] p = Payload(IpVs.IPVS_CMD_SET_INFO, w =>
        {
            w.PutU32(IpVs.IPVS_INFO_ATTR_VERSION, 0x010201);
            w.PutU32(IpVs.IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
        });
        IpvsInfo info = IpvsDecoder.DecodeInfo(p);
        Assert.Equal(new Version(1, 2, 1), info.Version);
        Assert.Equal(4096u, info.ConnectionTableSize);
    }

    [Fact]
    public void DecodeService_NoServiceNest_ThrowsMalformed()
    {
        byte[] p = Payload(IpVs.IPVS_CMD_NEW_SERVICE, w => w.PutU32(9, 1));
        Assert.Equal(IpvsErrorKind.MalformedReply, Assert.Throws<IpvsException>(() => IpvsDecoder.DecodeService(p)).Kind);
    }
}
