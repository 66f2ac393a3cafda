using System.Net;
using Ipvs.Engine;

namespace Ipvs.Daemon.Config;

/// <summary>A whole, valid config: the process settings and the topology the engine applies.</summary>
/// <param name="SourcePath">The file it was read from (for reload and messages).</param>
/// <param name="AdminTokenFile">File with the bearer token for admin actions; null disables them.</param>
/// <param name="Metrics">The <c>metrics</c> section; null: its defaults.</param>
internal sealed record DaemonConfig(
    string SourcePath,
    IPEndPoint Listen,
    string StateDir,
    string? AdminTokenFile,
    Topology Topology,
    AlertsConfig Alerts,
    MetricsConfig? Metrics = null)
{
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 9480);
    public const string DefaultStateDir = "/var/lib/ipvs-checkd";
}
