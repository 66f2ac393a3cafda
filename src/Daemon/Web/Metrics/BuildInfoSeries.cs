using Ipvs.Daemon.Hosting;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// <c>ipvs_checkd_build_info{version, commit} 1</c>: which build answers, the usual Prometheus info-metric shape (join
/// it on the instance to label other series with the version). Set once; the labels never change while the process runs.
/// </summary>
internal static class BuildInfoSeries
{
    public static void Register(IMetricFactory factory) =>
        factory.CreateGauge("ipvs_checkd_build_info", "The running build: its version and git commit (always 1).", ["version", "commit"])
            .WithLabels(BuildInfo.Version, BuildInfo.Commit)
            .Set(1);
}
