using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Ipvs;

/// <summary>
/// Decodes IPVS replies (the payload after nlmsghdr: genlmsghdr, then attributes). Attributes are keyed by
/// type, never by order; unknown types are skipped; integers are sized by nla_len where the kernel varies them.
/// Degrades for older kernels: no ADDR_FAMILY → the service's family; no STATS64 → STATS.
/// </summary>
internal static class IpvsDecoder
{
    /// <summary>A NEW_SERVICE message of a GET_SERVICE dump or do-reply.</summary>
    public static (ServiceConfig Config, IpvsStats Stats) DecodeService(ReadOnlySpan<byte> payload)
    {
        var top = TopLevel(payload);
        while (top.MoveNext())
        {
            if (top.Type == IpVs.IPVS_CMD_ATTR_SERVICE)
            {
                return DecodeServiceNest(top.Nested());
            }
        }
        throw AttributeReader.Malformed("service reply without IPVS_CMD_ATTR_SERVICE");
    }

    /// <summary>A NEW_DEST message of a GET_DEST dump; <paramref name="serviceFamily"/> stands in for a missing ADDR_FAMILY.</summary>
    public static DestinationEntry DecodeDestination(ReadOnlySpan<byte> payload, AddressFamily serviceFamily)
    {
        var top = TopLevel(payload);
        while (top.MoveNext())
        {
            if (top.Type == IpVs.IPVS_CMD_ATTR_DEST)
            {
                return DecodeDestinationNest(top.Nested(), serviceFamily);
            }
        }
        throw AttributeReader.Malformed("destination reply without IPVS_CMD_ATTR_DEST");
    }

    public static IpvsInfo DecodeInfo(ReadOnlySpan<byte> payload)
    {
        uint version = 0, size = 0;
        var r = TopLevel(payload);
        while (r.MoveNext())
        {
            switch (r.Type)
            {
                case IpVs.IPVS_INFO_ATTR_VERSION: version = r.GetU32(); break;
                case IpVs.IPVS_INFO_ATTR_CONN_TAB_SIZE: size = r.GetU32(); break;
            }
        }
        return new IpvsInfo(new Version((int)(version >> 16), (int)((version >> 8) & 0xFF), (int)(version & 0xFF)), size);
    }

    public static IpvsTimeouts DecodeTimeouts(ReadOnlySpan<byte> payload)
    {
        uint tcp = 0, fin = 0, udp = 0;
        var r = TopLevel(payload);
        while (r.MoveNext())
        {
            switch (r.Type)
            {
                case IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP: tcp = r.GetU32(); break;
                case IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP_FIN: fin = r.GetU32(); break;
                case IpVs.IPVS_CMD_ATTR_TIMEOUT_UDP: udp = r.GetU32(); break;
            }
        }
        return new IpvsTimeouts(tcp, fin, udp);
    }

    private static AttributeReader TopLevel(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < LinuxNetlink.GENL_HDRLEN)
        {
            throw AttributeReader.Malformed("IPVS reply shorter than its genl header");
        }
        return new AttributeReader(payload[LinuxNetlink.GENL_HDRLEN..]);
    }

    private static (ServiceConfig, IpvsStats) DecodeServiceNest(AttributeReader r)
    {
        ushort af = 0, protocol = 0, port = 0;
        uint fwmark = 0, flags = 0, timeout = 0;
        ReadOnlySpan<byte> addr = default, netmask = default;
        string? sched = null, pe = null;
        IpvsStats? stats32 = null, stats64 = null;
        while (r.MoveNext())
        {
            switch (r.Type)
            {
                case IpVs.IPVS_SVC_ATTR_AF: af = r.GetU16(); break;
                case IpVs.IPVS_SVC_ATTR_PROTOCOL: protocol = r.GetU16(); break;
                case IpVs.IPVS_SVC_ATTR_ADDR: addr = r.Payload; break;
                case IpVs.IPVS_SVC_ATTR_PORT: port = r.GetBe16(); break;
                case IpVs.IPVS_SVC_ATTR_FWMARK: fwmark = r.GetU32(); break;
                case IpVs.IPVS_SVC_ATTR_SCHED_NAME: sched = r.GetString(); break;
                case IpVs.IPVS_SVC_ATTR_PE_NAME: pe = r.GetString(); break;
                case IpVs.IPVS_SVC_ATTR_FLAGS: flags = r.GetU32(); break; // struct ip_vs_flags: flags first
                case IpVs.IPVS_SVC_ATTR_TIMEOUT: timeout = r.GetU32(); break;
                case IpVs.IPVS_SVC_ATTR_NETMASK: _ = r.GetU32(); netmask = r.Payload; break;
                case IpVs.IPVS_SVC_ATTR_STATS: stats32 = DecodeStats(r.Nested()); break;
                case IpVs.IPVS_SVC_ATTR_STATS64: stats64 = DecodeStats(r.Nested()); break;
            }
        }
        AddressFamily family = FromLinuxFamily(af);
        ServiceKey key = fwmark != 0
            ? ServiceKey.ForFirewallMark(family, fwmark)
            : new ServiceKey(family, (IpvsProtocol)protocol, ToAddress(addr, family), port, 0);
        // IPv4 netmask travels in network order; the model holds it as a number (255.255.255.0 = 0xFFFFFF00).
        // IPv6 carries a prefix length in host order.
        uint mask = netmask.IsEmpty ? (family == AddressFamily.InterNetworkV6 ? 128u : 0xFFFFFFFFu)
            : family == AddressFamily.InterNetworkV6 ? HostOrder.ReadU32(netmask) : BinaryPrimitives.ReadUInt32BigEndian(netmask);
        var config = new ServiceConfig(key, sched ?? "", (ServiceFlags)(flags & ~IpVs.IP_VS_SVC_F_HASHED), timeout, mask,
            string.IsNullOrEmpty(pe) ? null : pe);
        return (config, stats64 ?? stats32 ?? IpvsStats.Zero);
    }

    private static DestinationEntry DecodeDestinationNest(AttributeReader r, AddressFamily serviceFamily)
    {
        ReadOnlySpan<byte> addr = default;
        ushort port = 0, af = 0, tunPort = 0, tunFlags = 0;
        uint fwd = 0, upper = 0, lower = 0, active = 0, inactive = 0, persistent = 0;
        int weight = 0;
        byte tunType = 0;
        IpvsStats? stats32 = null, stats64 = null;
        while (r.MoveNext())
        {
            switch (r.Type)
            {
                case IpVs.IPVS_DEST_ATTR_ADDR: addr = r.Payload; break;
                case IpVs.IPVS_DEST_ATTR_PORT: port = r.GetBe16(); break;
                case IpVs.IPVS_DEST_ATTR_FWD_METHOD: fwd = r.GetU32() & IpVs.IP_VS_CONN_F_FWD_MASK; break;
                case IpVs.IPVS_DEST_ATTR_WEIGHT: weight = unchecked((int)r.GetU32()); break;
                case IpVs.IPVS_DEST_ATTR_U_THRESH: upper = r.GetU32(); break;
                case IpVs.IPVS_DEST_ATTR_L_THRESH: lower = r.GetU32(); break;
                case IpVs.IPVS_DEST_ATTR_ACTIVE_CONNS: active = r.GetU32(); break;
                case IpVs.IPVS_DEST_ATTR_INACT_CONNS: inactive = r.GetU32(); break;
                case IpVs.IPVS_DEST_ATTR_PERSIST_CONNS: persistent = r.GetU32(); break;
                case IpVs.IPVS_DEST_ATTR_ADDR_FAMILY: af = r.GetU16(); break;
                case IpVs.IPVS_DEST_ATTR_TUN_TYPE: tunType = r.GetU8(); break;
                case IpVs.IPVS_DEST_ATTR_TUN_PORT: tunPort = r.GetBe16(); break;
                case IpVs.IPVS_DEST_ATTR_TUN_FLAGS: tunFlags = r.GetU16(); break;
                case IpVs.IPVS_DEST_ATTR_STATS: stats32 = DecodeStats(r.Nested()); break;
                case IpVs.IPVS_DEST_ATTR_STATS64: stats64 = DecodeStats(r.Nested()); break;
            }
        }
        // Kernels before 3.18 send no ADDR_FAMILY: the destination has the service's family.
        AddressFamily family = af == 0 ? serviceFamily : FromLinuxFamily(af);
        IPAddress address = ToAddress(addr, family) ?? throw AttributeReader.Malformed("destination without an address");
        var config = new DestinationConfig(address, port, (ForwardMethod)fwd, weight, upper, lower,
            (TunnelType)tunType, tunPort, (TunnelFlags)tunFlags);
        return new DestinationEntry(config, active, inactive, persistent, stats64 ?? stats32 ?? IpvsStats.Zero);
    }

    private static IpvsStats DecodeStats(AttributeReader r)
    {
        Span<ulong> v = stackalloc ulong[11];
        while (r.MoveNext())
        {
            // IPVS_STATS_ATTR_PAD (11) and unknown types are skipped; a zero-length PAD has no value.
            if (r.Type is >= IpVs.IPVS_STATS_ATTR_CONNS and <= IpVs.IPVS_STATS_ATTR_OUTBPS)
            {
                v[r.Type] = r.GetUnsigned();
            }
        }
        return new IpvsStats(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    internal static AddressFamily FromLinuxFamily(ushort af) => af switch
    {
        2 => AddressFamily.InterNetwork,
        10 => AddressFamily.InterNetworkV6,
        _ => throw AttributeReader.Malformed($"unknown address family {af}"),
    };

    private static IPAddress? ToAddress(ReadOnlySpan<byte> raw, AddressFamily family)
    {
        int need = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        if (raw.IsEmpty)
        {
            return null;
        }
        if (raw.Length < need)
        {
            throw AttributeReader.Malformed($"address of {raw.Length} bytes for a {(need == 4 ? "IPv4" : "IPv6")} entry");
        }
        return new IPAddress(raw[..need]);
    }
}
