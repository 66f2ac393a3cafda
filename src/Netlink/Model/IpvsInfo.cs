namespace Ipvs.Netlink;

/// <summary>IPVS_CMD_GET_INFO: the IPVS version (e.g. 1.2.1) and the connection hash table size.</summary>
public sealed record IpvsInfo(Version Version, uint ConnectionTableSize);
