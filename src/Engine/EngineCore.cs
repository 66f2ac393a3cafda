using System.Collections.Concurrent;
using System.Net;
using Ipvs.Checks;
using Microsoft.Extensions.Logging;

namespace Ipvs.Engine;

/// <summary>
/// The engine's loop state. Everything here is touched only under <see cref="_lock"/> by one pass at a time
/// (one Pump at a time): the wheel, the state machines, the desired and kernel views. Other threads reach it
/// through the completion queue (probe results) or by taking the lock for a short admin call. Probes run on the
/// probe loops (<see cref="ProbeLoops"/>), each target pinned to one; a loop takes its pass's results in with one
/// engine pass at the end of that loop pass (the lock is taken once per loop pass, not per result).
/// </summary>
internal sealed partial class EngineCore : IDisposable, IThreadPoolWorkItem
{
    /// <summary>Wheel resolution: checks due within one tick start together; phases are spread in ticks.</summary>
    internal static readonly TimeSpan DefaultTick = TimeSpan.FromMilliseconds(5);

    private readonly Lock _lock = new();
    private readonly IAdminStateStore _adminStore;
    private readonly IHealthCheckFactory _checks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<EngineEvent> _raise;
    private readonly long _origin;
    private readonly TimerWheel _wheel;
    private readonly ConcurrentQueue<ProbeRunner> _completions = new();
    private readonly Dictionary<string, VirtualServiceState> _services = new(StringComparer.Ordinal);
    private readonly List<VirtualServiceState> _serviceOrder = [];
    private readonly Dictionary<ProbeKey, ProbeRunner> _runners = [];
    private readonly Dictionary<IPAddress, HostSlot> _hosts = [];
    private readonly Queue<ProbeRunner> _globalWaiting = new();
    private readonly List<VirtualServiceState> _dirty = [];
    private readonly Dictionary<(string, IPEndPoint), AdminRecord> _admin = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<StartBatch> _freeBatches = new();
    private readonly Action<StartBatch> _returnBatch;
    private readonly ProbeLoops _loops;
    private readonly bool _ownsLoops;
    private readonly LoopPins _pins;
    private readonly LoopIntake[] _loopIntakes;
    private readonly StartBatch[] _startBatches;
    private int _intakeRequests;
    private DateTimeOffset _wallAnchor;
    private long _wallAnchorAt = long.MinValue;

    private Topology? _topology;
    private EngineOptions _options = new();
    private ITimer? _timer;
    private bool _running;
    private bool _ready;
    private bool _inPump;
    private bool _lagging;
    private int _pumpQueued;
    private long _now;
    private long _gateAt;
    private long _nextFullRead;
    private bool _rereadRequested;
    private DateTimeOffset _startedAtWall;
    private DateTimeOffset? _lastDump;
    private long _phaseCounter;
    private long _slot;
    private uint _rng = 2463534242;

    public EngineCore(IIpvsTable table, IAdminStateStore adminStore, IHealthCheckFactory checks, TimeProvider time, ILogger logger, Action<EngineEvent> raise, ProbeLoops? loops = null, TimeSpan? tick = null)
    {
        Table = table;
        _adminStore = adminStore;
        _checks = checks;
        _time = time;
        _logger = logger;
        _raise = raise;
        _origin = time.GetTimestamp();
        _wheel = new TimerWheel(tick ?? DefaultTick);
        _slot = _wheel.TickLength;
        _startedAtWall = time.GetUtcNow();
        _returnBatch = _freeBatches.Enqueue;
        _ownsLoops = loops is null;
        _loops = loops ?? new ProbeLoops(1);
        _pins = new LoopPins(_loops.Count);
        _loopIntakes = new LoopIntake[_loops.Count];
        _startBatches = new StartBatch[_loops.Count];
        for (var i = 0; i < _loops.Count; i++)
        {
            _loopIntakes[i] = new LoopIntake(IntakeFromLoop);
            _startBatches[i] = new StartBatch(_returnBatch);
        }
    }

    public EngineCounters Counters { get; } = new();

    /// <summary>Start lag of every check run, for benchmarks (engine ticks, i.e. 100 ns units).</summary>
    public LagHistogram Lags { get; } = new();

    public IIpvsTable Table { get; }

    public bool IsReady => Volatile.Read(ref _ready);

    /// <summary>Engine time: 100 ns ticks since construction, from the injected clock.</summary>
    private long Now() => _time.GetElapsedTime(_origin).Ticks;

    private DateTimeOffset Wall => _time.GetUtcNow();

    /// <summary>
    /// Wall time of this pass for per-result stamps: the clock read at most once a second, engine time added to it
    /// (in a VM whose clocksource the vDSO cannot read, each wall clock read is a syscall).
    /// </summary>
    private DateTimeOffset PassWall()
    {
        if (_wallAnchorAt == long.MinValue || _now < _wallAnchorAt || _now - _wallAnchorAt >= TimeSpan.TicksPerSecond)
        {
            _wallAnchor = Wall;
            _wallAnchorAt = _now;
        }
        return _wallAnchor + TimeSpan.FromTicks(_now - _wallAnchorAt);
    }

    /// <summary>One pass: take in finished checks, fire what is due, decide weights, reconcile.</summary>
    public void Pump() => Pump(fromTimer: true);

    private void Pump(bool fromTimer)
    {
        lock (_lock)
        {
            if (_inPump)
            {
                return;
            }
            Pass(fromTimer);
            KickDriverIfNeeded();
        }
    }

    /// <summary>The body of a pass; the caller holds the lock and is not already in one.</summary>
    private void Pass(bool fromTimer)
    {
        _inPump = true;
        try
        {
            _now = Now();
            DrainCompletions();
            if (_running)
            {
                _wheel.Advance(_now);
                DrainCompletions();
            }
            // Kernel passes run on the driver's passes only, so decisions made close together go out in one batch.
            if (fromTimer)
            {
                MaybeReconcile();
            }
        }
        finally
        {
            _inPump = false;
            FlushStarts();
        }
    }

    /// <summary>
    /// Called from any thread when a probe finished — usually a probe loop's thread, which then takes the result in
    /// at the end of its pass (no thread hop, no wake-up of another thread) unless someone else holds the lock.
    /// </summary>
    public void EnqueueCompletion(ProbeRunner runner)
    {
        _completions.Enqueue(runner);
        if (_lock.IsHeldByCurrentThread)
        {
            return; // finished inline during this pass: the pass drains it
        }
        if (_driver is not null && _loops.Current is { } loop)
        {
            // Completed by a probe loop pass: take in all of that pass's results at its end, with one engine pass.
            var intake = _loopIntakes[loop.Index];
            if (Interlocked.Exchange(ref intake.Queued, 1) == 0)
            {
                loop.AfterPass(intake);
            }
            return;
        }
        IntakeFromLoop();
    }

    /// <summary>
    /// Takes queued results in with one pass if the lock is free; else makes sure someone does. Loops ending their
    /// passes at the same moment do not queue up on the lock: the first one in takes every loop's results in and
    /// looks again for as long as others asked meanwhile; the others go back to their I/O at once.
    /// </summary>
    private void IntakeFromLoop()
    {
        if (Interlocked.Increment(ref _intakeRequests) != 1)
        {
            return;
        }
        var seen = 1;
        while (_lock.TryEnter())
        {
            try
            {
                Pass(fromTimer: false);
                KickDriverIfNeeded();
            }
            finally
            {
                _lock.Exit();
            }
            seen = Interlocked.Add(ref _intakeRequests, -seen);
            if (seen == 0)
            {
                return;
            }
        }
        // Cleared before the wake-up below, so a request made after it either finds the lock free or wakes someone.
        Interlocked.Exchange(ref _intakeRequests, 0);
        // The lock holder may already be past its drain: someone must take this one in.
        if (_driver is not null)
        {
            _wake.Set();
        }
        else if (Interlocked.Exchange(ref _pumpQueued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _pumpQueued, 0);
        Pump(fromTimer: false);
    }

    private void DrainCompletions()
    {
        while (_completions.TryDequeue(out var runner))
        {
            OnProbeCompleted(runner);
        }
    }

    private void Raise(EngineEventKind kind, VirtualServiceState? vs, IPEndPoint? rs, string from, string to, string why, string who, Ipvs.Checks.CheckResult? result = null, string? checkKind = null, string? admin = null, string? health = null, string? check = null)
    {
        var e = new EngineEvent(Wall, kind, vs?.Name, rs, from, to, why, who, result, checkKind, admin, health, check);
        try
        {
            _raise(e);
        }
        catch (Exception ex)
        {
            EngineLog.EventHandlerFailed(_logger, kind, ex);
        }
    }

    private void MarkDirty(VirtualServiceState vs)
    {
        if (!vs.Dirty)
        {
            vs.Dirty = true;
            _dirty.Add(vs);
        }
    }

    /// <summary>A cheap xorshift for jitter: no allocation, no shared Random.</summary>
    private long NextJitter(TimeSpan jitter)
    {
        if (jitter <= TimeSpan.Zero)
        {
            return 0;
        }
        var x = _rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _rng = x;
        return (long)(x / (double)uint.MaxValue * jitter.Ticks);
    }

    public (TimeSpan P50, TimeSpan P99, TimeSpan Max, long Count) TakeLagWindow()
    {
        lock (_lock)
        {
            var w = (Lags.Percentile(0.5), Lags.Percentile(0.99), Lags.Max, Lags.Count);
            Lags.Reset();
            return w;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        StopDriver(join: true);
        _wake.Dispose();
        _stopping.Dispose();
        foreach (var r in _runners.Values)
        {
            r.Probe.Dispose();
        }
        if (_ownsLoops)
        {
            _loops.Dispose();
        }
    }
}
