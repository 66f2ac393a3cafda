using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipvs.Engine;

/// <summary>
/// Turns probe results into kernel weights. Give it a <see cref="Topology"/> (at start and on every reload),
/// start it, and it schedules every check on a hashed timer wheel, runs identical checks once, folds results
/// through rise/fall, admin state, slow start, quorum and the mass-failure guard into desired weights, and
/// reconciles those with the IPVS table in one batch per pass.
/// </summary>
/// <remarks>
/// Thread-safety: every public member may be called from any thread. <see cref="EventRaised"/> handlers run on
/// the engine's loop while it holds its lock: keep them short (queue the work) and do not block in them.
/// </remarks>
public sealed partial class HealthEngine : IAsyncDisposable
{
    private readonly EngineCore _core;

    public HealthEngine(
        IIpvsTable table,
        IAdminStateStore adminStore,
        IHealthCheckFactory? checks = null,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null,
        Ipvs.Checks.ProbeLoops? probeLoops = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(adminStore);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Ipvs.Engine");
        _core = new EngineCore(table, adminStore, checks ?? HealthCheckFactory.Instance, time ?? TimeProvider.System, logger, Raise, probeLoops);
    }

    /// <summary>Every transition: health, admin, weight, quorum, sorry server, drift, lag guard, kernel errors.</summary>
    public event Action<EngineEvent>? EventRaised;

    /// <summary>Plain numbers about the engine's own work (in flight, held back, lag, kernel edits, drift...).</summary>
    public EngineCounters Counters => _core.Counters;

    /// <summary>What the engine writes to: "kernel IPVS (netlink)" or "in-memory table".</summary>
    public string TableDescription => _core.Table.Description;

    /// <summary>True once the readiness gate passed and the first reconcile pass completed.</summary>
    public bool IsReady => _core.IsReady;

    /// <summary>
    /// Sets the desired configuration: before start, and on every reload. Realservers and checks that did not
    /// change keep their state and their in-flight checks; new checks get phases spread over their interval;
    /// removed services and realservers are removed from the kernel (the engine owns only what the config
    /// declares, so entries it never owned are left alone).
    /// </summary>
    public void ApplyTopology(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _core.ApplyTopology(topology);
    }

    /// <summary>
    /// Loads admin state, reads the kernel table (health is adopted from it so a restart does not flap live
    /// servers) and starts the scheduling loop. Needs a topology applied first.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _core.StartAsync(cancellationToken);

    /// <summary>
    /// Stops scheduling, waits for in-flight checks (bounded by their timeouts and <paramref name="cancellationToken"/>),
    /// and leaves the table as it is, or removes the services it owns when <see cref="EngineOptions.RemoveOnExit"/>.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _core.StopAsync(cancellationToken);

    /// <summary>An immutable picture of every virtual service and realserver now.</summary>
    public EngineSnapshot Snapshot() => _core.Snapshot();

    /// <summary>
    /// The probe loops the checks run on (those given at construction, else one of the engine's own): targets pinned
    /// to each, load and lag.
    /// </summary>
    public IReadOnlyList<ProbeLoopStatus> ProbeLoops() => _core.LoopStatus();

    /// <summary>
    /// Sets the admin state of the matching realservers, in one virtual service or (null) in all. Persisted at
    /// once; takes effect at the next reconcile pass (immediately scheduled). Returns every realserver matched,
    /// with what changed (an empty list means nothing matched).
    /// </summary>
    public IReadOnlyList<AdminChange> SetAdminState(string? virtualService, RealServerSelector realServer, AdminState state, string who)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(who);
        return _core.SetAdmin(virtualService, realServer, state, null, overrideGiven: false, who);
    }

    /// <summary>
    /// Overrides the weight of the matching realservers (null clears the override). Health still applies: a down
    /// server stays out. Persisted like admin state.
    /// </summary>
    public IReadOnlyList<AdminChange> SetWeightOverride(string? virtualService, RealServerSelector realServer, int? weight, string who)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(who);
        if (weight is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "a weight is 0 or more");
        }
        return _core.SetAdmin(virtualService, realServer, null, weight, overrideGiven: true, who);
    }

    /// <summary>
    /// Lets a change the mass-failure guard is holding through (an operator decided the failure is real).
    /// Returns the number of virtual services released.
    /// </summary>
    public int ReleaseMassFailureHold(string? virtualService, string who)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(who);
        return _core.ReleaseHold(virtualService, who);
    }

    public async ValueTask DisposeAsync()
    {
        await _core.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _core.Dispose();
    }

    /// <summary>Start-lag percentiles since the last call, then reset (benchmarks).</summary>
    internal (TimeSpan P50, TimeSpan P99, TimeSpan Max, long Count) TakeLagWindow() => _core.TakeLagWindow();

    /// <summary>Runs one pass of the loop now (tests in virtual time).</summary>
    internal void Pump() => _core.Pump();

    private void Raise(EngineEvent e) => EventRaised?.Invoke(e);
}
