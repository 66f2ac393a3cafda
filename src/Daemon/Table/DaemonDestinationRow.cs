namespace Ipvs.Daemon.Table;

/// <summary>A kernel destination as the running daemon sees it: health, admin state and the weight it wants.</summary>
internal sealed record DaemonDestinationRow(string Health, string Admin, int DesiredWeight);
