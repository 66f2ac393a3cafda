using System.Globalization;
using Ipvs.Checks;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>
    /// A realserver is up only when every check is up; down when any is down; unknown while a check has no
    /// verdict and none says down. Falling/Rising show a change on the way.
    /// </summary>
    internal static HealthState Aggregate(RealServerState rs)
    {
        var checks = rs.Checks;
        if (checks.Length == 0)
        {
            return HealthState.Up; // nothing to check: the config says it is there
        }
        bool anyDown = false, anyUnknown = false, anyFalling = false, allDownAreRising = true;
        foreach (var c in checks)
        {
            switch (c.Health.State)
            {
                case HealthState.Down: anyDown = true; allDownAreRising = false; break;
                case HealthState.Rising: anyDown = true; break;
                case HealthState.Falling: anyFalling = true; break;
                case HealthState.Unknown: anyUnknown = true; break;
            }
        }
        if (anyDown)
        {
            return allDownAreRising ? HealthState.Rising : HealthState.Down;
        }
        if (anyUnknown)
        {
            return HealthState.Unknown;
        }
        return anyFalling ? HealthState.Falling : HealthState.Up;
    }

    /// <summary>Re-derives a realserver's health from its checks; a crossing between up and down is an event.</summary>
    private void RecomputeHealth(RealServerState rs, ProbeRunner? deciding, CheckResult? result)
    {
        var next = Aggregate(rs);
        var wasUp = CheckHealth.IsUp(rs.Health);
        var isUp = CheckHealth.IsUp(next);
        rs.Health = next;
        if (wasUp == isUp)
        {
            return;
        }
        rs.HealthSince = Wall;
        rs.DecidingResult = result;
        Counters._healthTransitions++;
        Damp(rs, isUp, result is not null);
        if (wasUp == false && isUp == true && rs.Spec.SlowStart > TimeSpan.Zero)
        {
            rs.SlowStartFrom = _now;
            _wheel.Schedule(rs.Ramp, _now + RampStep(rs));
        }
        else if (isUp != true)
        {
            rs.SlowStartFrom = -1;
            _wheel.Cancel(rs.Ramp);
        }
        var from = Word(wasUp);
        var to = Word(isUp);
        var why = result is { } r
            ? (r.Passed ? $"{deciding!.Key.Spec.Label} check passed {deciding.Schedule.Rise}×" : $"{deciding!.Key.Spec.Label} check failed {deciding.Schedule.Fall}×: {r.Reason}")
            : "checks changed by reload";
        EngineLog.HealthChanged(_logger, rs.Service.Name, rs.EndPoint, from, to, why);
        Raise(EngineEventKind.HealthChanged, rs.Service, rs.EndPoint, from, to, why, "check", result, deciding?.Key.Spec.Kind, admin: AdminWord(rs.Admin, null), check: deciding?.Key.Spec.Label);
        MarkDirty(rs.Service);
    }

    /// <summary>
    /// Flap damping: a failure is remembered (and suspends a hold in force); a recovery after too many failures
    /// within the window starts a hold, during which the realserver stays out as if down.
    /// </summary>
    private void Damp(RealServerState rs, bool? isUp, bool fromCheck)
    {
        if (rs.Spec.FlapDamping is not { } d)
        {
            return;
        }
        if (isUp == false && fromCheck)
        {
            if (rs.FailureTimes.Length != d.Failures)
            {
                rs.FailureTimes = new long[d.Failures];
                Array.Fill(rs.FailureTimes, long.MinValue);
                rs.FailureNext = 0;
            }
            rs.FailureTimes[rs.FailureNext] = _now;
            rs.FailureNext = (rs.FailureNext + 1) % d.Failures;
            if (rs.Damped)
            {
                rs.DampedUntil = long.MaxValue;
                _wheel.Cancel(rs.DampTimer);
            }
            return;
        }
        if (isUp != true)
        {
            return;
        }
        // The oldest remembered failure is the Failures-th latest: within the window means too many.
        var oldest = rs.FailureTimes.Length == d.Failures ? rs.FailureTimes[rs.FailureNext] : long.MinValue;
        if (!rs.Damped && (oldest == long.MinValue || _now - oldest > d.Window.Ticks))
        {
            return;
        }
        var started = !rs.Damped;
        rs.DampedUntil = _now + d.Hold.Ticks;
        _wheel.Schedule(rs.DampTimer, rs.DampedUntil);
        var why = $"flapping: {d.Failures} failures within {Duration(d.Window)}; kept out until it stays up for {Duration(d.Hold)}";
        Counters._flapHolds += started ? 1 : 0;
        if (started)
        {
            // Once per hold: a recovery during the hold restarts it silently.
            EngineLog.FlapDamped(_logger, rs.Service.Name, rs.EndPoint, why);
            Raise(EngineEventKind.FlapDampingStarted, rs.Service, rs.EndPoint, "up", "damped", why, "engine");
        }
    }

    internal void OnDampingDue(RealServerState rs)
    {
        if (!rs.Damped || rs.Service.Retired || rs.DampedUntil == long.MaxValue || _now < rs.DampedUntil)
        {
            return;
        }
        EndDamping(rs, $"stayed up for {Duration(rs.Spec.FlapDamping?.Hold ?? TimeSpan.Zero)}");
    }

    private void EndDamping(RealServerState rs, string why)
    {
        rs.DampedUntil = -1;
        _wheel.Cancel(rs.DampTimer);
        EngineLog.FlapDampingEnded(_logger, rs.Service.Name, rs.EndPoint, why);
        Raise(EngineEventKind.FlapDampingEnded, rs.Service, rs.EndPoint, "damped", "up", why, "engine");
        MarkDirty(rs.Service);
    }

    private static string Duration(TimeSpan t) => t.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms")
        : t.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.#} min");


    private static string Word(bool? up) => up switch { true => "up", false => "down", _ => "unknown" };

    /// <summary>Slow start re-evaluates about twenty times over its ramp (never faster than 100 ms).</summary>
    private static long RampStep(RealServerState rs) =>
        Math.Max(rs.Spec.SlowStart.Ticks / 20, TimeSpan.TicksPerMillisecond * 100);

    internal void OnRampDue(RealServerState rs)
    {
        if (rs.SlowStartFrom < 0 || rs.Service.Retired)
        {
            return;
        }
        MarkDirty(rs.Service);
        if (_now - rs.SlowStartFrom < rs.Spec.SlowStart.Ticks)
        {
            _wheel.Schedule(rs.Ramp, _now + RampStep(rs));
        }
    }
}
