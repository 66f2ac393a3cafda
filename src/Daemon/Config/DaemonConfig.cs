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
    /// <summary>Host names the HTTP side answers besides addresses, localhost and this machine's names (<c>allowed_hosts</c>).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Extra environment of exec checks and alert commands, <c>NAME=value</c> each (<c>child_environment</c>).</summary>
    public IReadOnlyList<string> ChildEnvironment { get; init; } = [];

    /// <summary>Probe loops (threads running probe I/O) to start; 0: one per CPU the process may use.</summary>
    public int ProbeLoops { get; init; }

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 9480);
    public const string DefaultStateDir = "/var/lib/ipvs-checkd";
}
