namespace Ipvs.Netlink.Interop;

/// <summary>Constants from include/uapi/linux/netlink.h and genetlink.h, with their C names.</summary>
internal static class LinuxNetlink
{
    public const int AF_NETLINK = 16;
    public const int NETLINK_GENERIC = 16;
    public const int SOL_NETLINK = 270;

    // setsockopt(SOL_NETLINK, ...)
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const ushort NLM_F_REQUEST = 0x001;
    public const ushort NLM_F_MULTI = 0x002;
    public const ushort NLM_F_ACK = 0x004;
    public const ushort NLM_F_DUMP_INTR = 0x010;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    // In NLMSG_ERROR replies:
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
    public const ushort NLMSG_MIN_TYPE = 0x10;

    public const int NLMSG_HDRLEN = 16;
    public const int NLA_HDRLEN = 4;
    public const int GENL_HDRLEN = 4;
    public const ushort NLA_TYPE_MASK = 0x3FFF;
    public const ushort NLA_F_NESTED = 0x8000;

    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    public const ushort GENL_ID_CTRL = 0x10;
    public const byte CTRL_CMD_NEWFAMILY = 1;
    public const byte CTRL_CMD_GETFAMILY = 3;
    public const ushort CTRL_ATTR_FAMILY_ID = 1;
    public const ushort CTRL_ATTR_FAMILY_NAME = 2;
    public const ushort CTRL_ATTR_VERSION = 3;
    public const ushort CTRL_ATTR_MAXATTR = 5;

    public static int Align(int length) => (length + 3) & ~3;
}
