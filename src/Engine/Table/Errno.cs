namespace Ipvs.Engine;

/// <summary>The Linux errno values the IPVS commands answer with (generic numbering, see the netlink notes).</summary>
internal static class Errno
{
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
}
