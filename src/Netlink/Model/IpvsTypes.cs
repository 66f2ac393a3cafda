using System.Net;
using System.Net.Sockets;

namespace Ipvs.Netlink;

/// <summary>Transport protocol of a virtual service (IPVS_SVC_ATTR_PROTOCOL, a u16 on the wire).</summary>
public enum IpvsProtocol : ushort
{
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}

/// <summary>How packets reach a realserver (IPVS_DEST_ATTR_FWD_METHOD).</summary>
public enum ForwardMethod : uint
{
    /// <summary>NAT (ipvsadm -m).</summary>
    Masquerade = 0,
    Local = 1,
    /// <summary>IP-in-IP and friends (ipvsadm -i).</summary>
    Tunnel = 2,
    /// <summary>Direct routing (ipvsadm -g).</summary>
    Route = 3,
}

public enum TunnelType : byte
{
    IpIp = 0,
    Gue = 1,
    Gre = 2,
}

[Flags]
public enum TunnelFlags : ushort
{
    NoChecksum = 0,
    Checksum = 1,
    RemoteChecksum = 2,
}

[Flags]
public enum ServiceFlags : uint
{
    None = 0,
    Persistent = 0x0001,
    /// <summary>Kernel-internal; always set in replies, masked off when comparing.</summary>
    Hashed = 0x0002,
    OnePacket = 0x0004,
    Sched1 = 0x0008,
    Sched2 = 0x0010,
    Sched3 = 0x0020,
}

/// <summary>
/// Identifies a virtual service: either (family, protocol, address, port) or (family, firewall mark).
/// A non-zero <see cref="FirewallMark"/> wins, as in the kernel (ip_vs_genl_parse_service).
/// </summary>
public readonly record struct ServiceKey(AddressFamily Family, IpvsProtocol Protocol, IPAddress? Address, ushort Port, uint FirewallMark)
{
    public static ServiceKey ForAddress(IpvsProtocol protocol, IPEndPoint endPoint) =>
        new(endPoint.AddressFamily, protocol, endPoint.Address, (ushort)endPoint.Port, 0);

    public static ServiceKey ForFirewallMark(AddressFamily family, uint mark) =>
        new(family, IpvsProtocol.Tcp, null, 0, mark);

    public bool IsFirewallMark => FirewallMark != 0;

    /// <summary>Operator's spelling, as ipvsadm prints it: "TCP 10.0.0.1:80", "FWM 12", "UDP [2001:db8::1]:53".</summary>
    public override string ToString()
    {
        if (IsFirewallMark)
        {
            return Family == AddressFamily.InterNetworkV6 ? $"FWM {FirewallMark} IPv6" : $"FWM {FirewallMark}";
        }
        var proto = Protocol switch { IpvsProtocol.Tcp => "TCP", IpvsProtocol.Udp => "UDP", IpvsProtocol.Sctp => "SCTP", _ => ((ushort)Protocol).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var addr = Address is null ? "?" : Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        return $"{proto} {addr}:{Port}";
    }
}

/// <summary>Configuration fields of a virtual service (what NEW/SET_SERVICE carries).</summary>
public sealed record ServiceConfig(
    ServiceKey Key,
    string Scheduler,
    ServiceFlags Flags = ServiceFlags.None,
    uint PersistenceTimeoutSeconds = 0,
    uint Netmask = 0xFFFFFFFF,
    string? PersistenceEngine = null);

/// <summary>Configuration fields of a destination (what NEW/SET_DEST carries). SET_DEST replaces all of them.</summary>
public sealed record DestinationConfig(
    IPAddress Address,
    ushort Port,
    ForwardMethod Forward,
    int Weight,
    uint UpperThreshold = 0,
    uint LowerThreshold = 0,
    TunnelType TunnelType = TunnelType.IpIp,
    ushort TunnelPort = 0,
    TunnelFlags TunnelFlags = TunnelFlags.NoChecksum)
{
    public IPEndPoint EndPoint => new(Address, Port);
}

/// <summary>Counters and rates (IPVS_STATS_ATTR_*); 64-bit where the kernel offers STATS64.</summary>
public sealed record IpvsStats(
    ulong Connections,
    ulong InPackets,
    ulong OutPackets,
    ulong InBytes,
    ulong OutBytes,
    ulong ConnectionsPerSecond,
    ulong InPacketsPerSecond,
    ulong OutPacketsPerSecond,
    ulong InBytesPerSecond,
    ulong OutBytesPerSecond)
{
    public static IpvsStats Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>A destination as read back from the kernel.</summary>
public sealed record DestinationEntry(
    DestinationConfig Config,
    uint ActiveConnections,
    uint InactiveConnections,
    uint PersistentConnections,
    IpvsStats Stats);

/// <summary>A virtual service as read back from the kernel, with its destinations.</summary>
public sealed record ServiceEntry(
    ServiceConfig Config,
    IpvsStats Stats,
    IReadOnlyList<DestinationEntry> Destinations);

public enum IpvsEditKind : byte
{
    AddService,
    EditService,
    DeleteService,
    AddDestination,
    EditDestination,
    DeleteDestination,
}

/// <summary>
/// One edit in a batch. <see cref="Service"/> is needed for Add/EditService; <see cref="Destination"/> for
/// destination edits (only Address and Port for DeleteDestination).
/// </summary>
public readonly record struct IpvsEdit(IpvsEditKind Kind, ServiceKey Key, ServiceConfig? Service, DestinationConfig? Destination)
{
    public static IpvsEdit AddService(ServiceConfig s) => new(IpvsEditKind.AddService, s.Key, s, null);
    public static IpvsEdit EditService(ServiceConfig s) => new(IpvsEditKind.EditService, s.Key, s, null);
    public static IpvsEdit DeleteService(ServiceKey k) => new(IpvsEditKind.DeleteService, k, null, null);
    public static IpvsEdit AddDestination(ServiceKey k, DestinationConfig d) => new(IpvsEditKind.AddDestination, k, null, d);
    public static IpvsEdit EditDestination(ServiceKey k, DestinationConfig d) => new(IpvsEditKind.EditDestination, k, null, d);
    public static IpvsEdit DeleteDestination(ServiceKey k, DestinationConfig d) => new(IpvsEditKind.DeleteDestination, k, null, d);
}

/// <summary>Outcome of one edit: errno 0 on success, else the kernel's errno and an operator-worded message.</summary>
public readonly record struct IpvsEditResult(int Errno, string? Message)
{
    public static IpvsEditResult Ok => default;
    public bool Succeeded => Errno == 0;
}
