using System.Runtime.CompilerServices;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// One unique check (see <see cref="ProbeKey"/>): its probe, its place on the timer wheel, its rise/fall state,
/// and the realservers it serves. Running it allocates nothing in the engine: the continuation is cached and
/// the awaiter kept in a field. A probe that the loop can drive directly (<see cref="IInlineCheck"/>: tcp) hands its
/// result straight back to <see cref="OnCheckCompleted"/>, without async machinery.
/// </summary>
internal sealed class ProbeRunner : WheelEntry, ICheckCompletion
{
    private readonly EngineCore _core;
    private readonly Action _onCompleted;
    private ValueTaskAwaiter<CheckResult> _awaiter;

    public ProbeRunner(EngineCore core, ProbeKey key, IHealthCheck probe, HostSlot host, ProbeLoop loop)
    {
        _core = core;
        Key = key;
        Probe = probe;
        Host = host;
        Loop = loop;
        _onCompleted = OnCompleted;
    }

    public ProbeKey Key { get; }

    public IHealthCheck Probe { get; }

    public HostSlot Host { get; }

    /// <summary>The probe loop this check's target is pinned to: its I/O and completions run there.</summary>
    public ProbeLoop Loop { get; }

    public CheckSchedule Schedule => Key.Schedule;

    public readonly List<RealServerState> Subscribers = [];

    public CheckHealth Health;

    /// <summary>The fixed-rate point of the next run, before jitter.</summary>
    public long BaseDue;

    /// <summary>The due time of the run waiting for a cap, or running.</summary>
    public long PendingDue;

    public bool InFlight;
    public bool Waiting;
    public bool Retired;
    public long StartLag;

    /// <summary>The result handed back by the probe, read by the loop.</summary>
    public CheckResult Completed;

    public CheckResult? LastResult;
    public DateTimeOffset? LastAt;
    public bool LastDistrusted;

    /// <summary>The re-check a streak of lag-distrusted failures may get (EngineCore.Trust.cs).</summary>
    public RecheckState Recheck;

    public TimeSpan CurrentInterval => Health.State switch
    {
        HealthState.Falling or HealthState.Rising => Schedule.FastInterval ?? Schedule.Interval,
        HealthState.Down => Schedule.DownInterval ?? Schedule.Interval,
        _ => Schedule.Interval,
    };

    public override void OnDue(long now) => _core.OnProbeDue(this);

    /// <summary>Starts the probe; its result reaches the loop through the completion queue.</summary>
    public void Begin(CancellationToken cancellationToken)
    {
        try
        {
            if (Probe is IInlineCheck inline && !cancellationToken.IsCancellationRequested)
            {
                // No per-run cancellation registration: a stopping engine cancels in-flight runs itself (CancelInline).
                inline.Start(this);
                return;
            }
            var pending = Probe.RunAsync(cancellationToken);
            if (pending.IsCompleted)
            {
                Completed = pending.Result;
                _core.EnqueueCompletion(this);
                return;
            }
            _awaiter = pending.GetAwaiter();
            _awaiter.UnsafeOnCompleted(_onCompleted);
        }
        catch (Exception ex)
        {
            // A probe must not throw; if one does, that is the check failing to run, not the server failing.
            Completed = CheckResult.Error("check crashed: " + ex.Message, TimeSpan.Zero);
            _core.EnqueueCompletion(this);
        }
    }

    public void OnCheckCompleted(in CheckResult result)
    {
        Completed = result;
        _core.EnqueueCompletion(this);
    }

    /// <summary>Ends an inline run in flight (the engine is stopping); a run that already ended is not touched.</summary>
    public void CancelInline()
    {
        if (InFlight && Probe is IInlineCheck inline)
        {
            inline.Cancel();
        }
    }

    private void OnCompleted()
    {
        try
        {
            Completed = _awaiter.GetResult();
        }
        catch (OperationCanceledException)
        {
            Completed = CheckResult.Error("cancelled", TimeSpan.Zero);
        }
        catch (Exception ex)
        {
            Completed = CheckResult.Error("check crashed: " + ex.Message, TimeSpan.Zero);
        }
        _awaiter = default;
        _core.EnqueueCompletion(this);
    }
}
