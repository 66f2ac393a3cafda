namespace Ipvs.Daemon.Config;

/// <summary>The <c>metrics</c> section: how much <c>/metrics</c> exports per realserver (docs/metrics.md, cardinality).</summary>
/// <param name="RealserverHistograms">A check-duration histogram per realserver endpoint and check kind (9 series each).</param>
/// <param name="RealserverDetails">The detail gauges per realserver entry (configured weight, last change, last check latency).</param>
internal sealed record MetricsConfig(bool RealserverHistograms, bool RealserverDetails)
{
    public static readonly MetricsConfig Default = new(false, false);

    public static MetricsConfig Read(ConfigMap? map)
    {
        if (map is null)
        {
            return Default;
        }
        var config = new MetricsConfig(map.Bool("realserver_histograms") ?? false, map.Bool("realserver_details") ?? false);
        map.RejectUnknown();
        return config;
    }
}
