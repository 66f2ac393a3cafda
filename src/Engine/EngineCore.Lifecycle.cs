using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_topology is null)
            {
                throw new InvalidOperationException("apply a topology before starting the engine");
            }
            if (_running)
            {
                return Task.CompletedTask;
            }
            _now = Now();
            _startedAtWall = Wall;
            LoadAdminState();
            // Adopt what the kernel has before any check runs: a restart must not flap live servers.
            var dump = Table.Dump();
            Counters._fullReads++;
            _lastDump = Wall;
            ReadKernel(dump, adopting: true);
            foreach (var vs in _serviceOrder)
            {
                foreach (var rs in vs.Ordered)
                {
                    AdoptHealth(rs);
                }
            }
            UpdateSlot();
            var window = FirstRunWindow(_runners.Count);
            foreach (var runner in _runners.Values)
            {
                if (!runner.IsScheduled)
                {
                    SchedulePhase(runner, window);
                }
            }
            _gateAt = _now + _options.ReadinessGate.Ticks;
            _nextFullRead = _now + _options.ReconcileInterval.Ticks;
            _running = true;
            EngineLog.Started(_logger, Table.Description, _serviceOrder.Count, _runners.Count, _options.ReadinessGate);
            StartDriver();
        }
        Pump();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_running)
            {
                return;
            }
            _running = false;
            _timer?.Dispose();
            _timer = null;
            StopDriver(join: false);
        }
        // Probes are told to stop, then given until the longest check timeout to hand their results back.
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task drained;
        lock (_lock)
        {
            foreach (var runner in _runners.Values)
            {
                runner.CancelInline();
            }
            DrainCompletions();
            drained = Counters._checksInFlight == 0 ? Task.CompletedTask : (_drained = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        try
        {
            await drained.WaitAsync(LongestTimeout() + TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            EngineLog.StopWithChecksInFlight(_logger, Counters.ChecksInFlight);
        }
        lock (_lock)
        {
            DrainCompletions();
            if (_options.RemoveOnExit)
            {
                RemoveOwnedServices();
            }
            Volatile.Write(ref _ready, false);
            EngineLog.Stopped(_logger, _options.RemoveOnExit);
        }
    }

    private TaskCompletionSource? _drained;

    private TimeSpan LongestTimeout()
    {
        var longest = TimeSpan.Zero;
        foreach (var r in _runners.Values)
        {
            longest = r.Key.Spec.Timeout > longest ? r.Key.Spec.Timeout : longest;
        }
        return longest;
    }

    private void RemoveOwnedServices()
    {
        var edits = new List<IpvsEdit>();
        foreach (var vs in _serviceOrder)
        {
            if (vs.KernelService is not null)
            {
                edits.Add(IpvsEdit.DeleteService(vs.Key));
            }
        }
        if (edits.Count == 0)
        {
            return;
        }
        var results = new IpvsEditResult[edits.Count];
        try
        {
            Table.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(edits), results);
            Counters._kernelBatches++;
            Counters._kernelEdits += edits.Count;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineLog.TableFailed(_logger, Table.Description, ex.Message);
        }
    }

    /// <summary>
    /// Health at start: a realserver the kernel has with a weight above zero is taken as up (its checks start
    /// from Up and need `fall` failures to go down); anything else waits for its first result.
    /// </summary>
    private void AdoptHealth(RealServerState rs)
    {
        if (rs.Health != HealthState.Unknown || rs.KernelDest is not { Weight: > 0 })
        {
            return;
        }
        foreach (var runner in rs.Checks)
        {
            if (runner.Health.State == HealthState.Unknown)
            {
                runner.Health = CheckHealth.Adopted(HealthState.Up);
            }
        }
        rs.Health = Aggregate(rs);
        rs.HealthSince = Wall;
        MarkDirty(rs.Service);
    }

    /// <summary>Checks per phase slot the spreading aims at; slots are never longer than <see cref="MaxSlot"/>.</summary>
    private const long ChecksPerSlot = 16;

    private static readonly long MaxSlot = TimeSpan.FromMilliseconds(50).Ticks;

    /// <summary>
    /// The grid phases are spread on: at a high check rate every tick (as spread as the wheel allows); at a low one
    /// a few ticks, so that about <see cref="ChecksPerSlot"/> checks start in each slot. Each wake-up of the driver
    /// and of the probes' loop then serves several checks instead of one: fewer wake-ups and context switches per
    /// check (keepalived, which starts each service's checks together, wakes a few times a second), still no herd.
    /// Runners keep their phase across reloads; new ones are placed on the grid of the new rate.
    /// </summary>
    private void UpdateSlot()
    {
        var tick = _wheel.TickLength;
        double perSecond = 0;
        foreach (var runner in _runners.Values)
        {
            perSecond += (double)TimeSpan.TicksPerSecond / Math.Max(runner.CurrentInterval.Ticks, tick);
        }
        var slot = perSecond <= 0 ? MaxSlot : (long)(ChecksPerSlot * TimeSpan.TicksPerSecond / perSecond);
        _slot = Math.Max(tick, Math.Min(slot, MaxSlot) / tick * tick);
    }

    /// <summary>Checks started per second, at most, by their first runs (start-up, or many added by a reload).</summary>
    private const long FirstRunsPerSecond = 2000;

    /// <summary>The window new checks' first runs are spread over: as short as the first-run rate allows.</summary>
    private static long FirstRunWindow(int newChecks) => newChecks * TimeSpan.TicksPerSecond / FirstRunsPerSecond;

    /// <summary>
    /// First due time of a new check, and its phase: the phase is a low-discrepancy point within its interval (golden
    /// ratio steps), so runs stay spread; the first run comes at the same fraction of a shorter window (bounded by
    /// <see cref="FirstRunsPerSecond"/>), so a server is known soon after start instead of up to an interval later.
    /// </summary>
    private void SchedulePhase(ProbeRunner runner, long firstWindow)
    {
        const double Golden = 0.6180339887498949;
        var k = ++_phaseCounter;
        var fraction = k * Golden % 1.0;
        var interval = runner.CurrentInterval.Ticks;
        // On a slot boundary (a whole number of ticks): the wheel fires at tick boundaries, so a phase between two
        // would start late by design (slip is then only the driver's own lateness), and checks that share a slot
        // start together, in one wake-up of the driver and of the probes' loop.
        var slot = _slot;
        var phase = (_now + (long)(fraction * interval) + slot - 1) / slot * slot;
        var first = (_now + (long)(fraction * Math.Min(firstWindow, interval)) + slot - 1) / slot * slot;
        // The run after the first is at the phase (fixed rate from there on: due + interval).
        runner.BaseDue = phase - interval;
        _wheel.Schedule(runner, first + NextJitter(runner.Schedule.Jitter));
    }
}
