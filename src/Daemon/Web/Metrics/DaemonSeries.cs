using Ipvs.Daemon.Web.Status;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>Process-wide series (no labels, so no cardinality to speak of).</summary>
internal sealed class DaemonSeries
{
    private readonly Gauge _inFlight;
    private readonly Gauge _checksPerSecond;
    private readonly Gauge _lag;
    private readonly Gauge _lagMax;
    private readonly Counter _distrusted;
    private readonly Counter _distrustedByKind;
    private readonly Counter _trustedWhileLagging;
    private readonly Counter _rechecks;
    private readonly Counter _holds;
    private readonly Gauge _startTime;
    private readonly Counter _checks;
    private readonly Counter _edits;
    private readonly Counter _editErrors;
    private readonly Counter _reconciles;
    private readonly Counter _drift;
    private readonly Counter _stateSaveFailures;
    private readonly Gauge _stateSaveOk;

    public DaemonSeries(IMetricFactory factory)
    {
        _inFlight = factory.CreateGauge("ipvs_checkd_checks_in_flight", "Checks running now.");
        _checksPerSecond = factory.CreateGauge("ipvs_checkd_checks_per_second", "Checks completed per second, as the engine measures it.");
        _lag = factory.CreateGauge("ipvs_checkd_engine_lag_seconds", "How late due checks start (the engine's own lag).");
        _lagMax = factory.CreateGauge("ipvs_checkd_engine_lag_max_seconds", "The largest start lag of a due check since the daemon started.");
        _distrusted = factory.CreateCounter("ipvs_checkd_results_distrusted_total", "Failing check results not counted against realservers because the engine itself was late (lag guard).");
        _distrustedByKind = factory.CreateCounter("ipvs_checkd_results_distrusted_by_kind_total", "Failing check results not counted because the engine was late, by kind of failure (only kinds its lateness may cause: timeout, deadline_cut_short, unclassified).", new CounterConfiguration { LabelNames = ["kind"] });
        _trustedWhileLagging = factory.CreateCounter("ipvs_checkd_failures_trusted_while_lagging_total", "Failing check results counted although the engine was late, by kind of failure (refused, unreachable, wrong_answer, protocol_error, tls, exit_code): its lateness cannot cause them.", new CounterConfiguration { LabelNames = ["kind"] });
        _rechecks = factory.CreateCounter("ipvs_checkd_distrusted_rechecks_total", "Re-checks of a streak of lag-distrusted failures, run once the engine was on time again (at most one per streak).");
        _holds = factory.CreateCounter("ipvs_checkd_mass_failure_holds_total", "Mass-failure holds started (more of a service failed at once than mass_failure_share allows; failed realservers kept in).");
        _startTime = factory.CreateGauge("ipvs_checkd_start_time_seconds", "Unix time the daemon started.");
        _checks = factory.CreateCounter("ipvs_checkd_checks_total", "Checks completed.");
        _edits = factory.CreateCounter("ipvs_checkd_netlink_edits_total", "Kernel table edits sent over netlink (or to the in-memory table).");
        _editErrors = factory.CreateCounter("ipvs_checkd_netlink_errors_total", "Kernel table edits that failed.");
        _reconciles = factory.CreateCounter("ipvs_checkd_reconcile_passes_total", "Reconcile passes (kernel table read and compared).");
        _drift = factory.CreateCounter("ipvs_checkd_drift_found_total", "Differences found between the kernel table and the desired table that the daemon did not make.");
        _stateSaveFailures = factory.CreateCounter("ipvs_checkd_state_save_failures_total", "Saves of the admin state file (drain, maintenance, overrides) that failed.");
        _stateSaveOk = factory.CreateGauge("ipvs_checkd_state_save_ok", "0 while the latest save of the admin state file failed (a restart would lose admin changes since the last good save), else 1.");
        AuthFailures = factory.CreateCounter("ipvs_checkd_api_auth_failures_total", "Admin API requests refused for a missing or wrong token.");
    }

    public Counter AuthFailures { get; }

    public void Write(DaemonStatus d)
    {
        _inFlight.Set(d.ChecksInFlight);
        _checksPerSecond.Set(d.ChecksPerSecond);
        _lag.Set(d.EngineLagMs / 1000.0);
        _lagMax.Set(d.EngineLagMaxMs / 1000.0);
        CounterSync.SetTotal(_distrusted, d.ResultsDistrusted);
        SetByKind(_distrustedByKind, d.DistrustedByKind);
        SetByKind(_trustedWhileLagging, d.TrustedWhileLaggingByKind);
        CounterSync.SetTotal(_rechecks, d.DistrustedRechecks);
        CounterSync.SetTotal(_holds, d.MassFailureHolds);
        _startTime.Set(d.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
        CounterSync.SetTotal(_checks, d.ChecksTotal);
        CounterSync.SetTotal(_edits, d.NetlinkEdits);
        CounterSync.SetTotal(_editErrors, d.NetlinkErrors);
        CounterSync.SetTotal(_reconciles, d.ReconcilePasses);
        CounterSync.SetTotal(_drift, d.DriftFound);
        CounterSync.SetTotal(_stateSaveFailures, d.StateSaveFailures);
        _stateSaveOk.Set(d.StateSaveOk ? 1 : 0);
    }

    private static void SetByKind(Counter counter, IReadOnlyDictionary<string, long>? byKind)
    {
        if (byKind is null)
        {
            return;
        }
        foreach (var (kind, total) in byKind)
        {
            CounterSync.SetTotal(counter, [kind], total);
        }
    }
}
