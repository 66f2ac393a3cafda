using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Interop;

/// <summary>struct nlattr, 4 bytes: length (header + payload, unpadded) and type (low 14 bits; 2 flag bits).</summary>
// C names on purpose: this struct mirrors the kernel header field for field.
#pragma warning disable CS8981
[StructLayout(LayoutKind.Sequential)]
internal struct nlattr
{
    public ushort nla_len;
    public ushort nla_type;
}
