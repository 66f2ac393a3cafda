namespace Ipvs.Daemon.Table;

/// <summary>A kernel service as the running daemon names it, with its quorum and sorry server state.</summary>
internal sealed record DaemonServiceRow(string Name, bool QuorumUp, bool SorryServerActive);
