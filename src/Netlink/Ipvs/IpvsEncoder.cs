using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Ipvs;

/// <summary>
/// Encodes IPVS requests. Wire layout of an edit (see docs/ipvs-netlink.md §9 for a byte-level example):
/// <code>
/// nlmsghdr{len, type=family id, flags=REQUEST|ACK, seq, pid=0}
/// genlmsghdr{cmd, version=1}
/// IPVS_CMD_ATTR_SERVICE (nest): AF u16 | PROTOCOL u16 | ADDR 16 bytes | PORT be16   (or AF | FWMARK u32)
/// IPVS_CMD_ATTR_DEST    (nest): ADDR 16 | PORT be16 | FWD_METHOD u32 | WEIGHT u32 | U_THRESH u32
///                               | L_THRESH u32 | ADDR_FAMILY u16 [| TUN_TYPE u8 | TUN_PORT be16 | TUN_FLAGS u16]
/// </code>
/// Nothing here allocates: addresses are written straight into the attribute payload.
/// </summary>
internal static class IpvsEncoder
{
    public const ushort RequestAck = LinuxNetlink.NLM_F_REQUEST | LinuxNetlink.NLM_F_ACK;
    public const ushort RequestDump = LinuxNetlink.NLM_F_REQUEST | LinuxNetlink.NLM_F_DUMP;

    public static void Begin(NetlinkWriter w, ushort familyId, byte cmd, ushort flags, uint seq)
    {
        // Pitfall: a request with an unresolved id (< 0x10) is taken as a control message and ACKed unexecuted.
        if (familyId < LinuxNetlink.NLMSG_MIN_TYPE)
        {
            throw new InvalidOperationException("IPVS family id is not resolved");
        }
        w.BeginMessage(familyId, flags, seq);
        w.WriteGenlHeader(cmd, IpVs.IPVS_GENL_VERSION);
    }

    /// <summary>AF_INET 2 / AF_INET6 10 (not .NET's AddressFamily numbers).</summary>
    public static ushort ToLinuxFamily(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 2,
        AddressFamily.InterNetworkV6 => 10,
        _ => throw new ArgumentException($"address family {family} is not IPv4 or IPv6"),
    };

    /// <summary>The service's identity only: enough for DEL_SERVICE, GET_SERVICE, ZERO and every DEST command.</summary>
    public static void PutServiceKey(NetlinkWriter w, in ServiceKey key)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
        {
            PutServiceIdentity(w, key);
        }
    }

    /// <summary>A whole service for NEW/SET_SERVICE, which require SCHED_NAME, FLAGS, TIMEOUT and NETMASK.</summary>
    public static void PutService(NetlinkWriter w, ServiceConfig s)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
        {
            PutServiceIdentity(w, s.Key);
            w.PutString(IpVs.IPVS_SVC_ATTR_SCHED_NAME, s.Scheduler);
            if (!string.IsNullOrEmpty(s.PersistenceEngine))
            {
                w.PutString(IpVs.IPVS_SVC_ATTR_PE_NAME, s.PersistenceEngine);
            }
            // struct ip_vs_flags { u32 flags; u32 mask; }: new = (old & ~mask) | (flags & mask). HASHED is kernel-internal.
            Span<byte> flags = w.Attribute(IpVs.IPVS_SVC_ATTR_FLAGS, 8);
            HostOrder.WriteU32(flags, (uint)s.Flags & ~IpVs.IP_VS_SVC_F_HASHED);
            HostOrder.WriteU32(flags[4..], 0xFFFFFFFF);
            w.PutU32(IpVs.IPVS_SVC_ATTR_TIMEOUT, s.PersistenceTimeoutSeconds);
            // NETMASK is mandatory: IPv4 a mask in network order; IPv6 a prefix length 1..128 in host order.
            if (s.Key.Family == AddressFamily.InterNetworkV6)
            {
                w.PutU32(IpVs.IPVS_SVC_ATTR_NETMASK, s.Netmask is 0 or > 128 ? 128 : s.Netmask);
            }
            else
            {
                w.PutBe32(IpVs.IPVS_SVC_ATTR_NETMASK, s.Netmask);
            }
        }
    }

    /// <summary>
    /// A destination. With <paramref name="identityOnly"/> (DEL_DEST) only address, port and family.
    /// ADDR_FAMILY is always sent (ignored by kernels before 3.18); tunnel attributes only for tunnel forwarding,
    /// as older kernels do not know them.
    /// </summary>
    public static void PutDestination(NetlinkWriter w, DestinationConfig d, bool identityOnly)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
        {
            PutAddress(w, IpVs.IPVS_DEST_ATTR_ADDR, d.Address);
            w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, d.Port); // port is in network byte order
            if (!identityOnly)
            {
                w.PutU32(IpVs.IPVS_DEST_ATTR_FWD_METHOD, (uint)d.Forward);
                w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, unchecked((uint)d.Weight)); // the kernel stores an int: < 0 is ERANGE
                w.PutU32(IpVs.IPVS_DEST_ATTR_U_THRESH, d.UpperThreshold);
                w.PutU32(IpVs.IPVS_DEST_ATTR_L_THRESH, d.LowerThreshold);
            }
            w.PutU16(IpVs.IPVS_DEST_ATTR_ADDR_FAMILY, ToLinuxFamily(d.Address.AddressFamily));
            if (!identityOnly && d.Forward == ForwardMethod.Tunnel)
            {
                w.PutU8(IpVs.IPVS_DEST_ATTR_TUN_TYPE, (byte)d.TunnelType);
                w.PutBe16(IpVs.IPVS_DEST_ATTR_TUN_PORT, d.TunnelPort); // network byte order
                w.PutU16(IpVs.IPVS_DEST_ATTR_TUN_FLAGS, (ushort)d.TunnelFlags);
            }
        }
    }

    /// <summary>One batch edit as a complete message with NLM_F_ACK.</summary>
    public static void WriteEdit(NetlinkWriter w, ushort familyId, uint seq, in IpvsEdit edit)
    {
        switch (edit.Kind)
        {
            case IpvsEditKind.AddService:
            case IpvsEditKind.EditService:
                ServiceConfig s = edit.Service ?? throw new ArgumentException($"{edit.Kind} needs a ServiceConfig");
                Begin(w, familyId, edit.Kind == IpvsEditKind.AddService ? IpVs.IPVS_CMD_NEW_SERVICE : IpVs.IPVS_CMD_SET_SERVICE, RequestAck, seq);
                PutService(w, s);
                break;
            case IpvsEditKind.DeleteService:
                Begin(w, familyId, IpVs.IPVS_CMD_DEL_SERVICE, RequestAck, seq);
                PutServiceKey(w, edit.Key);
                break;
            default:
                DestinationConfig d = edit.Destination ?? throw new ArgumentException($"{edit.Kind} needs a DestinationConfig");
                byte cmd = edit.Kind switch
                {
                    IpvsEditKind.AddDestination => IpVs.IPVS_CMD_NEW_DEST,
                    IpvsEditKind.EditDestination => IpVs.IPVS_CMD_SET_DEST,
                    IpvsEditKind.DeleteDestination => IpVs.IPVS_CMD_DEL_DEST,
                    _ => throw new ArgumentException($"unknown edit kind {edit.Kind}"),
                };
                Begin(w, familyId, cmd, RequestAck, seq);
                PutServiceKey(w, edit.Key);
                PutDestination(w, d, identityOnly: edit.Kind == IpvsEditKind.DeleteDestination);
                break;
        }
        w.EndMessage();
    }

    private static void PutServiceIdentity(NetlinkWriter w, in ServiceKey key)
    {
        w.PutU16(IpVs.IPVS_SVC_ATTR_AF, ToLinuxFamily(key.Family));
        // Pitfall: FWMARK present (even 0) switches the kernel to the fwmark lookup; send it only when set.
        if (key.IsFirewallMark)
        {
            w.PutU32(IpVs.IPVS_SVC_ATTR_FWMARK, key.FirewallMark);
            return;
        }
        IPAddress address = key.Address ?? throw new ArgumentException($"service {key} has neither an address nor a firewall mark");
        if (address.AddressFamily != key.Family)
        {
            throw new ArgumentException($"service {key}: address family does not match the service's family");
        }
        w.PutU16(IpVs.IPVS_SVC_ATTR_PROTOCOL, (ushort)key.Protocol); // u16, not u8
        PutAddress(w, IpVs.IPVS_SVC_ATTR_ADDR, address);
        w.PutBe16(IpVs.IPVS_SVC_ATTR_PORT, key.Port); // port is in network byte order
    }

    /// <summary>union nf_inet_addr: 16 bytes, an IPv4 address in the first 4 and zeros after (not ::ffff:-mapped).</summary>
    private static void PutAddress(NetlinkWriter w, ushort type, IPAddress address)
    {
        Span<byte> p = w.Attribute(type, 16);
        if (!address.TryWriteBytes(p, out _))
        {
            throw new ArgumentException($"address {address} could not be encoded");
        }
    }
}
