using System.Runtime.InteropServices;
using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Tests;

/// <summary>Sizes and offsets against include/uapi/linux/netlink.h and genetlink.h.</summary>
public class InteropLayoutTests
{
    [Fact]
    public void SizeOf_Structs_MatchKernelHeaders()
    {
        Assert.Equal(12, Marshal.SizeOf<sockaddr_nl>());
        Assert.Equal(16, Marshal.SizeOf<nlmsghdr>());
        Assert.Equal(20, Marshal.SizeOf<nlmsgerr>());
        Assert.Equal(4, Marshal.SizeOf<genlmsghdr>());
        Assert.Equal(4, Marshal.SizeOf<nlattr>());
        Assert.Equal(LinuxNetlink.NLMSG_HDRLEN, Marshal.SizeOf<nlmsghdr>());
        Assert.Equal(LinuxNetlink.GENL_HDRLEN, Marshal.SizeOf<genlmsghdr>());
        Assert.Equal(LinuxNetlink.NLA_HDRLEN, Marshal.SizeOf<nlattr>());
    }

    [Theory]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_family), 0)]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_pad), 2)]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_pid), 4)]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_groups), 8)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_len), 0)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_type), 4)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_flags), 6)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_seq), 8)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_pid), 12)]
    [InlineData(typeof(nlmsgerr), nameof(nlmsgerr.error), 0)]
    [InlineData(typeof(nlmsgerr), nameof(nlmsgerr.msg), 4)]
    [InlineData(typeof(genlmsghdr), nameof(genlmsghdr.cmd), 0)]
    [InlineData(typeof(genlmsghdr), nameof(genlmsghdr.version), 1)]
    [InlineData(typeof(genlmsghdr), nameof(genlmsghdr.reserved), 2)]
    [InlineData(typeof(nlattr), nameof(nlattr.nla_len), 0)]
    [InlineData(typeof(nlattr), nameof(nlattr.nla_type), 2)]
    public void OffsetOf_Field_MatchesKernelHeader(Type type, string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));
}
