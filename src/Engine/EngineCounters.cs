namespace Ipvs.Engine;

/// <summary>
/// Plain numbers about the engine's own work, for the daemon to export (it maps them to its metrics library;
/// the engine depends on none). Monotonic counters only grow; gauges are current values. Safe to read from
/// any thread.
/// </summary>
public sealed partial class EngineCounters
{
    internal long _checksInFlight;
    internal long _checksStarted;
    internal long _checksPassed;
    internal long _checksFailed;
    internal long _checksErrored;
    internal long _heldBackGlobal;
    internal long _heldBackPerHost;
    internal long _overrunsSkipped;
    internal long _resultsDistrusted;
    internal long _lagCurrentTicks;
    internal long _lagMaxTicks;
    internal long _uniqueChecks;
    internal long _checkSubscriptions;
    internal long _kernelBatches;
    internal long _kernelEdits;
    internal long _kernelErrors;
    internal long _kernelConverged;
    internal long _reconcilePasses;
    internal long _fullReads;
    internal long _kernelReadsOvertaken;
    internal long _driftFound;
    internal long _massFailureHolds;
    internal long _healthTransitions;
    internal long _flapHolds;
    internal long _adminStateSaveErrors;
    internal long _adminStateSaveFailing;

    /// <summary>Probes running now (gauge).</summary>
    public long ChecksInFlight => Volatile.Read(ref _checksInFlight);

    public long ChecksStarted => Volatile.Read(ref _checksStarted);

    public long ChecksPassed => Volatile.Read(ref _checksPassed);

    public long ChecksFailed => Volatile.Read(ref _checksFailed);

    /// <summary>Checks that could not run (not the server's fault).</summary>
    public long ChecksErrored => Volatile.Read(ref _checksErrored);

    /// <summary>Due checks that waited because the global in-flight cap was reached.</summary>
    public long ChecksHeldBackGlobal => Volatile.Read(ref _heldBackGlobal);

    /// <summary>Due checks that waited because their host's in-flight cap was reached.</summary>
    public long ChecksHeldBackPerHost => Volatile.Read(ref _heldBackPerHost);

    /// <summary>Runs skipped because the previous run of the same check was still going at its next due time.</summary>
    public long ChecksOverrunSkipped => Volatile.Read(ref _overrunsSkipped);

    /// <summary>Failing results not counted toward fall because the engine itself was lagging (timeouts only: see <see cref="DistrustedBy"/>).</summary>
    public long ResultsDistrustedForLag => Volatile.Read(ref _resultsDistrusted);

    /// <summary>How late the latest due check started (gauge).</summary>
    public TimeSpan LagCurrent => TimeSpan.FromTicks(Volatile.Read(ref _lagCurrentTicks));

    /// <summary>The largest start lag seen since the engine started.</summary>
    public TimeSpan LagMax => TimeSpan.FromTicks(Volatile.Read(ref _lagMaxTicks));

    /// <summary>Distinct probes scheduled (gauge); identical checks shared by several services count once.</summary>
    public long UniqueChecks => Volatile.Read(ref _uniqueChecks);

    /// <summary>Realserver checks served by those probes (gauge); minus UniqueChecks = probes saved.</summary>
    public long CheckSubscriptions => Volatile.Read(ref _checkSubscriptions);

    public long KernelBatches => Volatile.Read(ref _kernelBatches);

    public long KernelEdits => Volatile.Read(ref _kernelEdits);

    /// <summary>Edits the kernel refused for a reason that is not "changed under us".</summary>
    public long KernelErrors => Volatile.Read(ref _kernelErrors);

    /// <summary>Edits answered EEXIST/ENOENT/ESRCH (the table changed under us) and converged after a re-read.</summary>
    public long KernelConverged => Volatile.Read(ref _kernelConverged);

    public long ReconcilePasses => Volatile.Read(ref _reconcilePasses);

    /// <summary>Full re-reads of the kernel table.</summary>
    public long FullReads => Volatile.Read(ref _fullReads);

    /// <summary>
    /// Background reads during which one of our own batches went out: taken in for every service that batch did not
    /// edit; the edited services wait for the next read.
    /// </summary>
    public long KernelReadsOvertaken => Volatile.Read(ref _kernelReadsOvertaken);

    public long DriftFound => Volatile.Read(ref _driftFound);

    public long MassFailureHolds => Volatile.Read(ref _massFailureHolds);

    public long HealthTransitions => Volatile.Read(ref _healthTransitions);

    /// <summary>Flap-damping holds started (a flapping realserver kept out after a recovery).</summary>
    public long FlapHolds => Volatile.Read(ref _flapHolds);

    /// <summary>Saves of the admin state (drain, maintenance, overrides) that failed: read-only directory, disk full.</summary>
    public long AdminStateSaveErrors => Volatile.Read(ref _adminStateSaveErrors);

    /// <summary>
    /// The latest save of the admin state failed (gauge), so what is on disk is older than what the engine applies and a
    /// restart would lose the difference. False again after the next save that works.
    /// </summary>
    public bool AdminStateSaveFailing => Volatile.Read(ref _adminStateSaveFailing) != 0;
}
