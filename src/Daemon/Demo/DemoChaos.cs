using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Demo;

/// <summary>
/// Fails and recovers realservers of the demo farm over time so that a newcomer sees the daemon notice: every few
/// seconds one realserver starts refusing connections or answering 503, and now and then a whole host goes away;
/// each comes back after a while. At most a tenth of the realservers are failed at once.
/// </summary>
internal sealed partial class DemoChaos
{
    private readonly DemoFarm _farm;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly TimeSpan _period;
    private readonly List<(DateTimeOffset Until, List<SimulatedRealServer> Servers, string What)> _failed = [];

    public DemoChaos(DemoFarm farm, ILogger logger, TimeSpan period, int seed = 5)
    {
        _farm = farm;
        _logger = logger;
        _period = period;
        _random = new Random(seed);
    }

    public int Events { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Step(DateTimeOffset.UtcNow);
            }
        }
        catch (OperationCanceledException)
        {
            // the demo's duration is over
        }
    }

    internal void Step(DateTimeOffset now)
    {
        for (var i = _failed.Count - 1; i >= 0; i--)
        {
            if (_failed[i].Until <= now)
            {
                foreach (var s in _failed[i].Servers)
                {
                    s.Set(SimulatedBehaviour.Up);
                }
                LogRecovered(_logger, _failed[i].What);
                _failed.RemoveAt(i);
            }
        }
        var failedCount = _failed.Sum(f => f.Servers.Count);
        var total = _farm.Services * _farm.RealServers;
        var hold = TimeSpan.FromSeconds(_random.Next(8, 20));
        if (Events % 5 == 4)
        {
            var host = _random.Next(_farm.Hosts);
            var servers = _farm.OnHost(host).Where(s => s.Behaviour == SimulatedBehaviour.Up).ToList();
            if (servers.Count > 0 && failedCount + servers.Count <= Math.Max(1, total / 10))
            {
                servers.ForEach(s => s.Set(SimulatedBehaviour.Refuse));
                var what = $"host {DemoFarm.HostAddress(host)} ({servers.Count} realservers)";
                _failed.Add((now + hold, servers, what));
                LogFailed(_logger, what, "is down", (int)hold.TotalSeconds);
            }
        }
        else if (failedCount < Math.Max(1, total / 10))
        {
            var v = _random.Next(_farm.Services);
            var r = _random.Next(_farm.RealServers);
            var server = _farm[v, r];
            if (server.Behaviour == SimulatedBehaviour.Up)
            {
                // HTTP-checked services (even) get a 503 half the time; a TCP check cannot see that, so they refuse.
                var behaviour = v % 2 == 0 && _random.Next(2) == 0 ? SimulatedBehaviour.Unhealthy : SimulatedBehaviour.Refuse;
                server.Set(behaviour);
                var what = $"{server.EndPoint} of {DemoFarm.ServiceName(v)}";
                _failed.Add((now + hold, [server], what));
                LogFailed(_logger, what, behaviour == SimulatedBehaviour.Refuse ? "refuses connections" : "answers 503", (int)hold.TotalSeconds);
            }
        }
        Events++;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "demo: {What} {How}; back in {Seconds}s")]
    private static partial void LogFailed(ILogger logger, string what, string how, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "demo: {What} is back")]
    private static partial void LogRecovered(ILogger logger, string what);
}
