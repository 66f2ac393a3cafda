using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Ipvs.Netlink.Interop;

/// <summary>Owns a netlink socket file descriptor; closing is left to the SafeHandle machinery.</summary>
internal sealed class SafeNetlinkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeNetlinkHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
