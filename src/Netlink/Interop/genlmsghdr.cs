using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Interop;

/// <summary>struct genlmsghdr (include/uapi/linux/genetlink.h), 4 bytes.</summary>
// C names on purpose: this struct mirrors the kernel header field for field.
#pragma warning disable CS8981
[StructLayout(LayoutKind.Sequential)]
internal struct genlmsghdr
{
    public byte cmd;
    public byte version;
    public ushort reserved;
}
