using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// Which failing results the engine trusts while it is late, and the re-check of those it does not. A failure the
/// checker's own lateness cannot cause (an RST, an ICMP unreachable, a wrong answer, a TLS failure, an exit code)
/// counts whenever it comes; only a timeout (or a deadline cut short, or an unclassified failure) that comes while the
/// engine lags, or from a run that started later than the lag guard, is set aside. Such a check gets one re-check per
/// streak of distrusted failures, started only on a pass that is on time and never while the guard is in force, at
/// most <see cref="RechecksPerSecond"/>: the re-check tried before ran during the lag (every fast_interval) and, under a
/// mass failure, doubled the load that caused the lag.
/// </summary>
internal sealed partial class EngineCore
{
    /// <summary>Re-checks started per second at most, so the checks a lag set aside do not come back as a burst.</summary>
    internal const int RechecksPerSecond = 1000;

    private RecheckTimer? _recheckTimer;

    /// <summary>
    /// Judges a result that says something about the server (not an Error): true when it is not trusted, having counted
    /// it and queued the re-check. A trusted result ends the check's streak of distrusted failures.
    /// </summary>
    private bool Distrusted(ProbeRunner runner, in CheckResult result)
    {
        if (result.Passed || (!_lagging && runner.StartLag <= _options.LagGuard.Ticks))
        {
            runner.Recheck = RecheckState.None;
            return false;
        }
        var kind = result.Kind;
        if (!kind.LatenessMayCause())
        {
            Counters.CountTrustedWhileLagging(kind);
            runner.Recheck = RecheckState.None;
            return false;
        }
        runner.LastDistrusted = true;
        Counters._resultsDistrusted++;
        Counters.CountDistrusted(kind);
        if (runner.Recheck == RecheckState.None)
        {
            runner.Recheck = RecheckState.Queued;
            var timer = _recheckTimer ??= new RecheckTimer(this);
            timer.Queue.Enqueue(runner);
            if (!timer.IsScheduled)
            {
                _wheel.Schedule(timer, _now + _wheel.TickLength);
            }
        }
        return true;
    }

    /// <summary>
    /// The re-check timer's tick (<paramref name="due"/>: the tick it stands for). While the engine lags, or this pass
    /// itself runs late, nothing starts; else up to a tick's share of <see cref="RechecksPerSecond"/> queued checks run
    /// now, each in front of its regular run (the phase kept: the run after it comes when it would have).
    /// </summary>
    internal void OnRecheckDue(long due)
    {
        var timer = _recheckTimer!;
        var tick = _wheel.TickLength;
        if (!_running)
        {
            timer.Queue.Clear();
            return;
        }
        if (!_lagging && _now - due <= _options.LagGuard.Ticks / 2)
        {
            var budget = Math.Max(1, (int)(RechecksPerSecond * tick / TimeSpan.TicksPerSecond));
            while (budget > 0 && timer.Queue.TryDequeue(out var runner))
            {
                if (runner.Recheck != RecheckState.Queued)
                {
                    continue; // a trusted result ended the streak meanwhile, or the check went with a reload
                }
                runner.Recheck = RecheckState.Spent;
                var interval = runner.CurrentInterval.Ticks;
                if (runner.Retired || runner.InFlight || runner.Waiting || runner.BaseDue - _now <= interval / 4)
                {
                    continue; // a run is on its way, or the regular one comes soon anyway
                }
                _wheel.Cancel(runner);
                runner.BaseDue -= interval;
                runner.DueTime = _now;
                Counters._rechecks++;
                OnProbeDue(runner);
                budget--;
            }
        }
        if (timer.Queue.Count > 0)
        {
            _wheel.Schedule(timer, _now + tick);
        }
    }
}
