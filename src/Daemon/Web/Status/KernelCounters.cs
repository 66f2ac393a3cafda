namespace Ipvs.Daemon.Web.Status;

/// <summary>The kernel's traffic counters of a virtual service (from the last table dump).</summary>
public sealed record KernelCounters(ulong Connections, ulong InPackets, ulong OutPackets, ulong InBytes, ulong OutBytes);
