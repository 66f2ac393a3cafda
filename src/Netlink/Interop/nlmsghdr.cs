using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Interop;

/// <summary>struct nlmsghdr (include/uapi/linux/netlink.h), 16 bytes, host byte order.</summary>
// C names on purpose: this struct mirrors the kernel header field for field.
#pragma warning disable CS8981
[StructLayout(LayoutKind.Sequential)]
internal struct nlmsghdr
{
    /// <summary>Header plus payload, unpadded.</summary>
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}
