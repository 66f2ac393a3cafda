using System.Net;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

public class NetlinkWriterTests
{
    // docs/ipvs-netlink.md §9: SET_DEST, weight of 10.0.0.2:80 in TCP 10.0.0.1:80 to 5, family 0x24, seq 1.
    private const string WorkedExample = """
        0000: 8c 00 00 00 24 00 05 00 01 00 00 00 00 00 00 00
        0010: 06 01 00 00 30 00 01 00 06 00 01 00 02 00 00 00
        0020: 06 00 02 00 06 00 00 00 14 00 03 00 0a 00 00 01
        0030: 00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
        0040: 00 50 00 00 48 00 02 00 14 00 01 00 0a 00 00 02
        0050: 00 00 00 00 00 00 00 00 00 00 00 00 06 00 02 00
        0060: 00 50 00 00 08 00 03 00 03 00 00 00 08 00 04 00
        0070: 05 00 00 00 08 00 05 00 00 00 00 00 08 00 06 00
        0080: 00 00 00 00 06 00 0b 00 02 00 00 00
        """;

    internal static readonly ServiceKey Service = ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80));
    internal static readonly DestinationConfig Weight5 = new(IPAddress.Parse("10.0.0.2"), 80, ForwardMethod.Route, 5);

    [Fact]
    public void WriteEdit_WorkedExampleSetDest_MatchesDocumentBytes()
    {
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.EditDestination(Service, Weight5));
        Assert.Equal(Hex.Parse(WorkedExample), w.Written.ToArray());
    }

    [Fact]
    public void GetFamilyRequest_Ipvs_MatchesDocumentBytes()
    {
        // §2: 20 00 00 00 10 00 05 00 <seq> <pid=0> 03 01 00 00 09 00 02 00 49 50 56 53 00 00 00 00
        var w = new NetlinkWriter();
        w.BeginMessage(LinuxNetlink.GENL_ID_CTRL, LinuxNetlink.NLM_F_REQUEST | LinuxNetlink.NLM_F_ACK, 7);
        w.WriteGenlHeader(LinuxNetlink.CTRL_CMD_GETFAMILY, 1);
        w.PutString(LinuxNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS");
        w.EndMessage();
        Assert.Equal(Hex.Parse("20 00 00 00 10 00 05 00 07 00 00 00 00 00 00 00 03 01 00 00 09 00 02 00 49 50 56 53 00 00 00 00"), w.Written.ToArray());
    }

    [Fact]
    public void BeginNest_ChildrenWithPadding_NestLengthCoversPaddedChildren()
    {
        var w = new NetlinkWriter();
        w.BeginMessage(0x20, 1, 1);
        using (w.BeginNest(1))
        {
            w.PutU8(1, 7);      // 5 bytes + 3 pad
            w.PutU16(2, 9);     // 6 bytes + 2 pad
        }
        w.EndMessage();
        byte[] b = w.Written.ToArray();
        Assert.Equal(16 + 4 + 8 + 8, b.Length);
        Assert.Equal(20, BitConverter.ToUInt16(b, 16)); // nest header + 8 + 8
        Assert.Equal(5, BitConverter.ToUInt16(b, 20));  // child nla_len is unpadded
        Assert.Equal(36u, BitConverter.ToUInt32(b, 0));
    }

    [Fact]
    public void EndMessage_OddPayload_PadsBufferButNotLength()
    {
        var w = new NetlinkWriter();
        w.BeginMessage(0x20, 1, 1);
        w.WriteGenlHeader(1, 1);
        w.PutString(6, "wlc"); // 4 + 4 = 8, already aligned
        w.PutU8(13, 1);        // 5 → padded to 8
        w.EndMessage();
        Assert.Equal(16 + 4 + 8 + 8, w.Length);
        Assert.Equal((uint)(16 + 4 + 8 + 8), BitConverter.ToUInt32(w.Written[..4]));
    }

    [Fact]
    public void WriteEdit_WeightEditSteadyState_AllocatesNothing()
    {
        var w = new NetlinkWriter(64 * 1024);
        IpvsEdit edit = IpvsEdit.EditDestination(Service, Weight5);
        for (int i = 0; i < 10; i++)
        {
            w.Reset();
            IpvsEncoder.WriteEdit(w, 0x24, (uint)i, edit);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Reset();
        for (int i = 0; i < 300; i++)
        {
            IpvsEncoder.WriteEdit(w, 0x24, (uint)i, edit);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(300 * 140, w.Length);
    }

    [Fact]
    public void WriteEdit_Ipv6Destination_SendsSixteenAddressBytesAndFamilyTen()
    {
        var key = ServiceKey.ForAddress(IpvsProtocol.Udp, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 53));
        var d = new DestinationConfig(IPAddress.Parse("2001:db8::2"), 53, ForwardMethod.Masquerade, 1);
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.AddDestination(key, d));
        byte[] b = w.Written.ToArray();
        // service AF attribute right after the service nest header: 06 00 01 00 0a 00
        Assert.Equal(new byte[] { 6, 0, 1, 0, 10, 0 }, b.AsSpan(24, 6).ToArray());
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), b.AsSpan(44, 16).ToArray());
    }

    [Fact]
    public void WriteEdit_FirewallMarkService_SendsMarkAndNoAddress()
    {
        var key = ServiceKey.ForFirewallMark(System.Net.Sockets.AddressFamily.InterNetwork, 12);
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.DeleteService(key));
        byte[] b = w.Written.ToArray();
        // nest(1) len 4+8+8 = 20: AF 2, FWMARK (5) u32 12
        Assert.Equal(Hex.Parse("14 00 01 00 06 00 01 00 02 00 00 00 08 00 05 00 0c 00 00 00"), b.AsSpan(20).ToArray());
    }

    [Fact]
    public void WriteEdit_TunnelDestination_AddsTunnelAttributesPortBigEndian()
    {
        var d = new DestinationConfig(IPAddress.Parse("10.0.0.9"), 80, ForwardMethod.Tunnel, 1, TunnelType: TunnelType.Gue, TunnelPort: 6080, TunnelFlags: TunnelFlags.Checksum);
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.AddDestination(Service, d));
        byte[] b = w.Written.ToArray();
        // last three attributes: TUN_TYPE u8 1, TUN_PORT be16 6080 (0x17c0), TUN_FLAGS u16 1
        Assert.Equal(Hex.Parse("05 00 0d 00 01 00 00 00 06 00 0e 00 17 c0 00 00 06 00 0f 00 01 00 00 00"), b.AsSpan(b.Length - 24).ToArray());
    }

    [Fact]
    public void WriteEdit_AddService_IncludesMandatoryFieldsAndMasksHashed()
    {
        var s = new ServiceConfig(Service, "wlc", ServiceFlags.Persistent | ServiceFlags.Hashed, 300, 0xFFFFFF00);
        var w = new NetlinkWriter();
        IpvsEncoder.WriteEdit(w, 0x24, 1, IpvsEdit.AddService(s));
        byte[] b = w.Written.ToArray();
        string hex = Convert.ToHexString(b);
        Assert.Contains("08000600776C6300", hex);                 // SCHED_NAME "wlc\0"
        Assert.Contains("0C00070001000000FFFFFFFF", hex);         // FLAGS {PERSISTENT, mask ~0}, HASHED dropped
        Assert.Contains("080008002C010000", hex);                 // TIMEOUT 300
        Assert.Contains("08000900FFFFFF00", hex);                 // NETMASK 255.255.255.0 in network order
    }
}
