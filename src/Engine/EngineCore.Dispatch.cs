using Ipvs.Checks;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>
    /// A check is due. The next run is scheduled first, from the phase (fixed rate: due + interval, never
    /// "finished + interval"), then this run starts unless the previous one is still going or a cap holds it.
    /// </summary>
    internal void OnProbeDue(ProbeRunner runner)
    {
        var due = runner.DueTime;
        var interval = runner.CurrentInterval.Ticks;
        var next = runner.BaseDue + interval;
        if (next <= _now)
        {
            // The loop fell behind by more than an interval: keep the phase, skip the missed runs.
            next += ((_now - next) / interval + 1) * interval;
        }
        runner.BaseDue = next;
        _wheel.Schedule(runner, next + NextJitter(runner.Schedule.Jitter));
        if (runner.InFlight || runner.Waiting)
        {
            Counters._overrunsSkipped++;
            return;
        }
        runner.PendingDue = due;
        TryStart(runner);
    }

    private void TryStart(ProbeRunner runner)
    {
        if (Counters._checksInFlight >= _options.MaxInFlight)
        {
            Counters._heldBackGlobal++;
            runner.Waiting = true;
            _globalWaiting.Enqueue(runner);
            return;
        }
        if (runner.Host.InFlight >= _options.MaxInFlightPerHost)
        {
            Counters._heldBackPerHost++;
            runner.Waiting = true;
            runner.Host.Waiting.Enqueue(runner);
            return;
        }
        Start(runner);
    }

    private void Start(ProbeRunner runner)
    {
        runner.Waiting = false;
        runner.InFlight = true;
        runner.Host.InFlight++;
        Volatile.Write(ref Counters._checksInFlight, Counters._checksInFlight + 1);
        Counters._checksStarted++;
        var lag = _now - runner.PendingDue;
        runner.StartLag = lag;
        ObserveLag(lag);
        if (_driver is not null && runner.Probe.Spec.RunsOnLoop && !runner.Loop.IsCurrentThread)
        {
            // Socket probes start on their loop's thread, in one batch per loop and pass (FlushStarts): see StartBatch.
            _startBatches[runner.Loop.Index].Runners.Add(runner);
            return;
        }
        runner.Begin(_stopping.Token);
    }

    /// <summary>Hands this pass's batches of starts to their probe loops (end of every pass).</summary>
    private void FlushStarts()
    {
        for (var i = 0; i < _startBatches.Length; i++)
        {
            var batch = _startBatches[i];
            if (batch.Runners.Count == 0)
            {
                continue;
            }
            batch.Token = _stopping.Token;
            _startBatches[i] = _freeBatches.TryDequeue(out var free) ? free : new StartBatch(_returnBatch);
            _loops[i].Post(batch);
        }
    }

    private void ObserveLag(long lag)
    {
        Lags.Add(lag);
        Counters._lagCurrentTicks = lag;
        if (lag > Counters._lagMaxTicks)
        {
            Counters._lagMaxTicks = lag;
        }
        var guard = _options.LagGuard.Ticks;
        if (!_lagging && lag > guard)
        {
            _lagging = true;
            EngineLog.LagGuardEntered(_logger, TimeSpan.FromTicks(lag), _options.LagGuard);
            Raise(EngineEventKind.LagGuardEntered, null, null, "on time", "lagging", $"checks start {TimeSpan.FromTicks(lag).TotalMilliseconds:F0} ms late; timeouts are not trusted", "engine");
        }
        else if (_lagging && lag < guard / 2)
        {
            _lagging = false;
            EngineLog.LagGuardLeft(_logger);
            Raise(EngineEventKind.LagGuardLeft, null, null, "lagging", "on time", "checks start on time again", "engine");
        }
    }

    private void OnProbeCompleted(ProbeRunner runner)
    {
        runner.InFlight = false;
        runner.Host.InFlight--;
        Volatile.Write(ref Counters._checksInFlight, Counters._checksInFlight - 1);
        var result = runner.Completed;
        switch (result.Status)
        {
            case CheckStatus.Pass: Counters._checksPassed++; break;
            case CheckStatus.Fail: Counters._checksFailed++; break;
            default: Counters._checksErrored++; break;
        }
        ReleaseWaiting(runner.Host);
        if (Counters._checksInFlight == 0)
        {
            _drained?.TrySetResult();
        }
        if (runner.Retired)
        {
            runner.Probe.Dispose();
            return;
        }
        runner.LastResult = result;
        runner.LastAt = PassWall();
        runner.LastDistrusted = false;
        ApplyAgentReport(runner, result);
        if (result.Status == CheckStatus.Error)
        {
            // The check could not run: says nothing about the server, so it moves neither rise nor fall.
            return;
        }
        if (Distrusted(runner, result))
        {
            return; // a timeout while the engine was late: see EngineCore.Trust.cs
        }
        var before = runner.CurrentInterval;
        var flipped = runner.Health.Step(result.Passed, runner.Schedule.Rise, runner.Schedule.Fall);
        var after = runner.CurrentInterval;
        if (after != before && !runner.Waiting)
        {
            // Entering or leaving the fast/down interval: the next run follows the new interval from this run.
            var next = Math.Max(runner.PendingDue + after.Ticks, _now + 1);
            runner.BaseDue = next;
            _wheel.Schedule(runner, next + NextJitter(runner.Schedule.Jitter));
        }
        var subscribers = runner.Subscribers;
        if (result.Passed && result.Weight is int reported)
        {
            for (var i = 0; i < subscribers.Count; i++)
            {
                var rs = subscribers[i];
                if (rs.ReportedWeight != reported)
                {
                    rs.ReportedWeight = reported;
                    MarkDirty(rs.Service);
                }
            }
        }
        if (flipped)
        {
            for (var i = 0; i < subscribers.Count; i++)
            {
                RecomputeHealth(subscribers[i], runner, result);
            }
        }
    }

    /// <summary>Starts the checks a finished one made room for: its host's first, then the global queue.</summary>
    private void ReleaseWaiting(HostSlot host)
    {
        while (host.Waiting.Count > 0 && host.InFlight < _options.MaxInFlightPerHost && Counters._checksInFlight < _options.MaxInFlight)
        {
            var next = host.Waiting.Dequeue();
            StartIfLive(next);
        }
        while (_globalWaiting.Count > 0 && Counters._checksInFlight < _options.MaxInFlight)
        {
            var next = _globalWaiting.Dequeue();
            if (next.Host.InFlight >= _options.MaxInFlightPerHost && !next.Retired)
            {
                Counters._heldBackPerHost++;
                next.Host.Waiting.Enqueue(next);
                continue;
            }
            StartIfLive(next);
        }
    }

    private void StartIfLive(ProbeRunner runner)
    {
        if (runner.Retired || !_running)
        {
            runner.Waiting = false;
            if (runner.Retired)
            {
                runner.Probe.Dispose();
            }
            return;
        }
        Start(runner);
    }

    public IReadOnlyList<ProbeLoopStatus> LoopStatus()
    {
        var rows = new ProbeLoopStatus[_loops.Count];
        lock (_lock)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var s = _loops[i].Stats();
                rows[i] = new ProbeLoopStatus(i, _pins.TargetsOn(i), s.Passes, s.Busy, s.Load, s.Lag, s.LagMax);
            }
        }
        return rows;
    }
}
