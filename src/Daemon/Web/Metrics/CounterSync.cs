using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Sets a counter to a total read elsewhere (the engine's or the alert pipeline's own counters, which only grow).</summary>
internal static class CounterSync
{
    public static void SetTotal(Counter counter, double total)
    {
        if (total >= counter.Value)
        {
            counter.IncTo(total);
        }
    }
}
