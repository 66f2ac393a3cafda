namespace Ipvs.Netlink.Ipvs;

/// <summary>The generic-netlink family "IPVS" as the controller reported it. The id is dynamic: never cache it globally.</summary>
internal readonly record struct IpvsFamily(ushort Id, uint Version, uint MaxAttribute);
