using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>One realserver entry of one virtual service, as a row of the per-realserver families.</summary>
internal readonly record struct RealServerRow(VirtualServiceStatus Service, RealServerStatus Server);
