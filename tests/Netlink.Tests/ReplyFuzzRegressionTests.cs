using System.Buffers.Binary;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

/// <summary>Inputs the reply fuzzer (<see cref="ReplyFuzzTests"/>) found, kept as named cases.</summary>
public sealed class ReplyFuzzRegressionTests
{
    /// <summary>NLMSG_ERROR payload: error, then the echoed request header (length first), then TLVs.</summary>
    private static byte[] ErrorPayload(int error, uint echoedLen, int tail = 0)
    {
        var b = new byte[4 + 16 + tail];
        BinaryPrimitives.WriteInt32LittleEndian(b, error);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), echoedLen);
        return b;
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0xFFFFFFFDu)]
    [InlineData(0x80000000u)]
    public void Parse_EchoedLengthNear4GiBWithTlvs_IgnoresTheTlvsInsteadOfSlicingBackwards(uint echoedLen)
    {
        // Found by the fuzzer: Align((int)echoedLen) went negative and the TLV slice threw ArgumentOutOfRange.
        var e = NetlinkError.Parse(LinuxNetlink.NLM_F_ACK_TLVS, ErrorPayload(-17, echoedLen, tail: 8));
        Assert.Equal((17, null), (e.Errno, e.KernelMessage));
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-4096)]
    [InlineData(70000)]
    public void Parse_ErrorOutsideErrnoRange_IsMalformedReply(int error)
    {
        // int.MinValue made Math.Abs throw OverflowException.
        var ex = Assert.Throws<IpvsException>(() => NetlinkError.Parse(0, ErrorPayload(error, 16)));
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);
    }
}
