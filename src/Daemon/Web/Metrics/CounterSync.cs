using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Sets a counter child to a total read elsewhere (engine or kernel), restarting it when the source reset.</summary>
internal static class CounterSync
{
    public static void SetTotal(Counter counter, string[] labels, double total)
    {
        var child = counter.WithLabels(labels);
        if (total < child.Value)
        {
            // The source restarted from zero (kernel service re-created, realserver re-added): so does the series,
            // which Prometheus' rate() reads as a counter reset.
            counter.RemoveLabelled(labels);
            child = counter.WithLabels(labels);
        }
        child.IncTo(total);
    }

    public static void SetTotal(Counter counter, double total)
    {
        if (total >= counter.Value)
        {
            counter.IncTo(total);
        }
    }
}
