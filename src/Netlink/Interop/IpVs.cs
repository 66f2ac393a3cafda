namespace Ipvs.Netlink.Interop;

/// <summary>Constants from include/uapi/linux/ip_vs.h, with their C names.</summary>
internal static class IpVs
{
    public const string IPVS_GENL_NAME = "IPVS";
    public const byte IPVS_GENL_VERSION = 1;

    public const byte IPVS_CMD_NEW_SERVICE = 1;
    public const byte IPVS_CMD_SET_SERVICE = 2;
    public const byte IPVS_CMD_DEL_SERVICE = 3;
    public const byte IPVS_CMD_GET_SERVICE = 4;
    public const byte IPVS_CMD_NEW_DEST = 5;
    public const byte IPVS_CMD_SET_DEST = 6;
    public const byte IPVS_CMD_DEL_DEST = 7;
    public const byte IPVS_CMD_GET_DEST = 8;
    public const byte IPVS_CMD_SET_CONFIG = 12;
    public const byte IPVS_CMD_GET_CONFIG = 13;
    public const byte IPVS_CMD_SET_INFO = 14;
    public const byte IPVS_CMD_GET_INFO = 15;
    public const byte IPVS_CMD_ZERO = 16;
    public const byte IPVS_CMD_FLUSH = 17;

    public const ushort IPVS_CMD_ATTR_SERVICE = 1;
    public const ushort IPVS_CMD_ATTR_DEST = 2;
    public const ushort IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
    public const ushort IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
    public const ushort IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

    public const ushort IPVS_SVC_ATTR_AF = 1;
    public const ushort IPVS_SVC_ATTR_PROTOCOL = 2;
    public const ushort IPVS_SVC_ATTR_ADDR = 3;
    public const ushort IPVS_SVC_ATTR_PORT = 4;
    public const ushort IPVS_SVC_ATTR_FWMARK = 5;
    public const ushort IPVS_SVC_ATTR_SCHED_NAME = 6;
    public const ushort IPVS_SVC_ATTR_FLAGS = 7;
    public const ushort IPVS_SVC_ATTR_TIMEOUT = 8;
    public const ushort IPVS_SVC_ATTR_NETMASK = 9;
    public const ushort IPVS_SVC_ATTR_STATS = 10;
    public const ushort IPVS_SVC_ATTR_PE_NAME = 11;
    public const ushort IPVS_SVC_ATTR_STATS64 = 12;

    public const ushort IPVS_DEST_ATTR_ADDR = 1;
    public const ushort IPVS_DEST_ATTR_PORT = 2;
    public const ushort IPVS_DEST_ATTR_FWD_METHOD = 3;
    public const ushort IPVS_DEST_ATTR_WEIGHT = 4;
    public const ushort IPVS_DEST_ATTR_U_THRESH = 5;
    public const ushort IPVS_DEST_ATTR_L_THRESH = 6;
    public const ushort IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
    public const ushort IPVS_DEST_ATTR_INACT_CONNS = 8;
    public const ushort IPVS_DEST_ATTR_PERSIST_CONNS = 9;
    public const ushort IPVS_DEST_ATTR_STATS = 10;
    public const ushort IPVS_DEST_ATTR_ADDR_FAMILY = 11;
    public const ushort IPVS_DEST_ATTR_STATS64 = 12;
    public const ushort IPVS_DEST_ATTR_TUN_TYPE = 13;
    public const ushort IPVS_DEST_ATTR_TUN_PORT = 14;
    public const ushort IPVS_DEST_ATTR_TUN_FLAGS = 15;

    public const ushort IPVS_STATS_ATTR_CONNS = 1;
    public const ushort IPVS_STATS_ATTR_INPKTS = 2;
    public const ushort IPVS_STATS_ATTR_OUTPKTS = 3;
    public const ushort IPVS_STATS_ATTR_INBYTES = 4;
    public const ushort IPVS_STATS_ATTR_OUTBYTES = 5;
    public const ushort IPVS_STATS_ATTR_CPS = 6;
    public const ushort IPVS_STATS_ATTR_INPPS = 7;
    public const ushort IPVS_STATS_ATTR_OUTPPS = 8;
    public const ushort IPVS_STATS_ATTR_INBPS = 9;
    public const ushort IPVS_STATS_ATTR_OUTBPS = 10;

    public const ushort IPVS_INFO_ATTR_VERSION = 1;
    public const ushort IPVS_INFO_ATTR_CONN_TAB_SIZE = 2;

    public const uint IP_VS_CONN_F_FWD_MASK = 0x7;
    public const uint IP_VS_SVC_F_HASHED = 0x0002;
}
