using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>One check of one realserver entry, as a row of the per-check families.</summary>
internal readonly record struct CheckRow(RealServerRow RealServer, CheckInfo Check);
