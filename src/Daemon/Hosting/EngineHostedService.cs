using Ipvs.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// Starts the engine with the config's topology before the listener opens (so systemd's READY=1 means "checking"),
/// and stops it last, leaving the kernel table as <c>on_exit</c> says.
/// </summary>
internal sealed partial class EngineHostedService(DaemonState state, HealthEngine engine, ILogger<EngineHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var topology = state.Config.Topology;
        engine.ApplyTopology(topology);
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, topology.VirtualServices.Count, topology.VirtualServices.Sum(v => v.RealServers.Count), engine.TableDescription);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var remove = state.Config.Topology.Options.RemoveOnExit;
        await engine.StopAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(logger, remove ? "removed its virtual services from the table (on_exit: remove)" : "left the table as it is (on_exit: keep)");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "checking {Services} virtual services with {RealServers} realservers; table: {Table}")]
    private static partial void LogStarted(ILogger logger, int services, int realServers, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped; {What}")]
    private static partial void LogStopped(ILogger logger, string what);
}
