using System.Net;
using Ipvs.Daemon.Config;
using Ipvs.Engine;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Hosting;

/// <summary>Everything the host needs that a verb decides: the config, the table, where admin state lives, where to listen.</summary>
internal sealed record DaemonHostOptions(
    DaemonConfig Config,
    DaemonMode Mode,
    IIpvsTable Table,
    IAdminStateStore AdminStore,
    IPEndPoint Listen)
{
    /// <summary>Extra logging setup (tests capture logs; the demo keeps them short).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }
}
