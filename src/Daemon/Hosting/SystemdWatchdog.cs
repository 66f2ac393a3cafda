using System.Globalization;
using Ipvs.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// systemd's watchdog (WatchdogSec= in the unit, WATCHDOG_USEC in the environment): pings at half the interval
/// while the engine makes progress (checks start or reconcile passes run). If the engine stalls for longer than
/// it could legitimately be idle, the pings stop and systemd restarts the daemon.
/// </summary>
internal sealed partial class SystemdWatchdog(ISystemdNotifier notifier, HealthEngine engine, DaemonState state, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The watchdog interval systemd asks for, or null when it asks for none (or for another process).</summary>
    public static TimeSpan? Interval()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var us) && us > 0 ? TimeSpan.FromMicroseconds(us) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || Interval() is not { } interval)
        {
            return;
        }
        LogEnabled(logger, interval.TotalSeconds);
        using var timer = new PeriodicTimer(interval / 2);
        long lastWork = -1;
        var lastProgress = DateTimeOffset.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var work = engine.Counters.ChecksStarted + engine.Counters.ReconcilePasses;
                var now = DateTimeOffset.UtcNow;
                if (work != lastWork)
                {
                    lastWork = work;
                    lastProgress = now;
                }
                if (now - lastProgress <= StallLimit(interval))
                {
                    notifier.Notify(Ping);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    // The engine may legitimately do nothing for up to one reconcile interval or one check interval.
    private TimeSpan StallLimit(TimeSpan watchdog)
    {
        var topology = state.Config.Topology;
        var longest = topology.Options.ReconcileInterval;
        foreach (var vs in topology.VirtualServices)
        {
            foreach (var rs in vs.RealServers)
            {
                foreach (var c in rs.Checks)
                {
                    var i = c.Schedule.DownInterval is { } d && d > c.Schedule.Interval ? d : c.Schedule.Interval;
                    longest = i > longest ? i : longest;
                }
            }
        }
        var limit = longest * 3;
        return limit > watchdog ? limit : watchdog;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog enabled ({Seconds}s)")]
    private static partial void LogEnabled(ILogger logger, double seconds);
}
