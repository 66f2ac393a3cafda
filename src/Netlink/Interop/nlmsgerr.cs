using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Interop;

/// <summary>struct nlmsgerr: the payload of NLMSG_ERROR, 20 bytes. error is 0 for an ACK or -errno.</summary>
// C names on purpose: this struct mirrors the kernel header field for field.
#pragma warning disable CS8981
[StructLayout(LayoutKind.Sequential)]
internal struct nlmsgerr
{
    public int error;
    /// <summary>The request's header, echoed (with the whole request after it unless NLM_F_CAPPED).</summary>
    public nlmsghdr msg;
}
