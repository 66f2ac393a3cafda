using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

public class ReaderTests
{
    [Fact]
    public void AttributeReader_LengthPastEnd_ThrowsMalformed()
    {
        byte[] data = Hex.Parse("10 00 01 00 01 02 03 04");
        var ex = Assert.Throws<IpvsException>(() =>
        {
            var r = new AttributeReader(data);
            r.MoveNext();
        });
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void AttributeReader_LengthBelowHeader_ThrowsMalformed()
    {
        byte[] data = Hex.Parse("02 00 01 00 00 00 00 00");
        var ex = Assert.Throws<IpvsException>(() =>
        {
            var r = new AttributeReader(data);
            r.MoveNext();
        });
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void AttributeReader_U32FromTwoBytePayload_ThrowsMalformed()
    {
        byte[] data = Hex.Parse("06 00 04 00 05 00 00 00");
        var ex = Assert.Throws<IpvsException>(() =>
        {
            var r = new AttributeReader(data);
            Assert.True(r.MoveNext());
            r.GetU32();
        });
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void AttributeReader_NestedFlagSet_TypeMasked()
    {
        byte[] data = Hex.Parse("0c 00 01 80 08 00 02 40 2a 00 00 00");
        var r = new AttributeReader(data);
        Assert.True(r.MoveNext());
        Assert.Equal(1, r.Type);
        var inner = r.Nested();
        Assert.True(inner.MoveNext());
        Assert.Equal(2, inner.Type);
        Assert.Equal(42u, inner.GetU32());
        Assert.False(inner.MoveNext());
        Assert.False(r.MoveNext());
    }

    [Fact]
    public void AttributeReader_SizedByLength_ReadsU32AndU64Counters()
    {
        byte[] data = Hex.Parse("08 00 01 00 07 00 00 00 0c 00 02 00 01 00 00 00 01 00 00 00");
        var r = new AttributeReader(data);
        Assert.True(r.MoveNext());
        Assert.Equal(7ul, r.GetUnsigned());
        Assert.True(r.MoveNext());
        Assert.Equal(0x1_0000_0001ul, r.GetUnsigned());
    }

    [Fact]
    public void MessageReader_LengthBeyondDatagram_ThrowsMalformed()
    {
        byte[] data = new byte[20];
        BitConverter.TryWriteBytes(data, 400u);
        var ex = Assert.Throws<IpvsException>(() =>
        {
            var r = new MessageReader(data);
            r.MoveNext();
        });
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void MessageReader_TwoMessages_StepsByAlignedLength()
    {
        byte[] one = FakeKernel.Ack(5, 140, 0x24, 5, 0, 77);
        byte[] two = FakeKernel.Ack(6, 140, 0x24, 5, -3, 77);
        var r = new MessageReader([.. one, .. two]);
        Assert.True(r.MoveNext());
        Assert.Equal(5u, r.Header.nlmsg_seq);
        Assert.True(r.MoveNext());
        Assert.Equal(6u, r.Header.nlmsg_seq);
        Assert.Equal(3, NetlinkError.Parse(r.Header.nlmsg_flags, r.Payload).Errno);
        Assert.False(r.MoveNext());
    }

    [Fact]
    public void NetlinkErrorParse_DocumentAck_IsSuccessWithEchoedSeq()
    {
        // §9 success ACK, 36 bytes.
        byte[] ack = Hex.Parse("""
            0000: 24 00 00 00 02 00 00 01 01 00 00 00 34 12 00 00
            0010: 00 00 00 00 8c 00 00 00 24 00 05 00 01 00 00 00
            0020: 00 00 00 00
            """);
        var r = new MessageReader(ack);
        Assert.True(r.MoveNext());
        Assert.Equal(0x1234u, r.Header.nlmsg_pid);
        NetlinkError e = NetlinkError.Parse(r.Header.nlmsg_flags, r.Payload);
        Assert.True(e.IsAck);
        Assert.Equal(1u, e.EchoedSeq);
    }

    [Fact]
    public void NetlinkErrorParse_CappedWithText_ReturnsErrnoAndKernelMessage()
    {
        byte[] b = FakeKernel.Ack(9, 140, 0x24, 5, -22, 1, "Attribute failed policy validation");
        var r = new MessageReader(b);
        Assert.True(r.MoveNext());
        NetlinkError e = NetlinkError.Parse(r.Header.nlmsg_flags, r.Payload);
        Assert.Equal(22, e.Errno);
        Assert.Equal("Attribute failed policy validation", e.KernelMessage);
    }

    [Fact]
    public void NetlinkErrorParse_UncappedEchoedRequestWithText_FindsTextAfterWholeRequest()
    {
        // Without NETLINK_CAP_ACK the whole request is echoed; TLVs follow its aligned length.
        byte[] request = new byte[22];
        BitConverter.TryWriteBytes(request, 22u);
        byte[] tlv = Hex.Parse("07 00 01 00 62 61 64 00");
        byte[] payload = [.. BitConverter.GetBytes(-17), .. request, 0, 0, .. tlv];
        NetlinkError e = NetlinkError.Parse(0x200, payload);
        Assert.Equal(17, e.Errno);
        Assert.Equal("bad", e.KernelMessage);
    }

    [Fact]
    public void NetlinkErrorParse_ShortPayload_ThrowsMalformed()
    {
        var ex = Assert.Throws<IpvsException>(() => NetlinkError.Parse(0, new byte[8]));
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void Decoders_RandomBytes_ThrowOnlyMalformedReply()
    {
        var random = new Random(1234);
        byte[] buffer = new byte[256];
        for (int i = 0; i < 5000; i++)
        {
            int n = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, n));
            // Give the fuzzer a plausible start sometimes so it reaches the nested parsers.
            if (n > 12 && i % 2 == 0)
            {
                buffer[4] = (byte)n; buffer[5] = 0; buffer[6] = (byte)(i % 3); buffer[7] = 0;
            }
            byte[] input = buffer[..n];
            foreach (Action decode in new Action[]
            {
                () => IpvsDecoder.DecodeService(input),
                () => IpvsDecoder.DecodeDestination(input, System.Net.Sockets.AddressFamily.InterNetwork),
                () => IpvsDecoder.DecodeInfo(input),
                () => FamilyResolver.Parse(input),
                () => { var r = new MessageReader(input); while (r.MoveNext()) { } },
            })
            {
                try
                {
                    decode();
                }
                catch (IpvsException ex)
                {
                    Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
                }
            }
        }
    }
}
