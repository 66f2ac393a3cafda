using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Interop;

/// <summary>struct sockaddr_nl (include/uapi/linux/netlink.h), 12 bytes.</summary>
// C names on purpose: this struct mirrors the kernel header field for field.
#pragma warning disable CS8981
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_nl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}
