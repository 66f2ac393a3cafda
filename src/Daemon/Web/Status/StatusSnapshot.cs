namespace Ipvs.Daemon.Web.Status;

/// <summary>What a status source hands the web layer at one instant.</summary>
public sealed record StatusSnapshot(DaemonStatus Daemon, IReadOnlyList<VirtualServiceStatus> VirtualServices);
