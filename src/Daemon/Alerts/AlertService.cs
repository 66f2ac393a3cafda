using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// Runs the alert pipeline beside the engine, never in its way: <see cref="Post"/> only writes to a bounded
/// queue (the engine's event handler returns at once); a timer tick feeds the <see cref="AlertPolicy"/> and
/// queues due alerts; one worker calls the hooks, each under its own deadline. When the hooks fall behind, the
/// queue fills and further alerts are dropped and counted rather than waited for.
/// </summary>
public sealed class AlertService : IHostedService, IAsyncDisposable
{
    private readonly AlertOptions _options;
    private readonly IReadOnlyList<IAlertHook> _hooks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<HealthTransition> _intake;
    private readonly Channel<AlertMessage> _outbox;
    private readonly Channel<AlertMessage> _immediate;
    private readonly AlertPolicy _policy;
    private readonly Lock _tickLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private Task? _worker;
    private int _disposed;

    public AlertService(AlertOptions options, IEnumerable<IAlertHook> hooks, TimeProvider time, ILogger<AlertService> logger, AlertCounters counters)
    {
        _options = options;
        _hooks = [.. hooks];
        _time = time;
        _logger = logger;
        Counters = counters;
        _policy = new AlertPolicy(options);
        _intake = Channel.CreateBounded<HealthTransition>(new BoundedChannelOptions(16384) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _immediate = Channel.CreateBounded<AlertMessage>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _outbox = Channel.CreateBounded<AlertMessage>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public AlertCounters Counters { get; }

    /// <summary>Takes one transition; never blocks (a full intake drops it and counts it).</summary>
    public void Post(HealthTransition transition)
    {
        if (!_intake.Writer.TryWrite(transition))
        {
            Interlocked.Increment(ref Counters._transitionsDropped);
            AlertLog.TransitionDropped(_logger, transition.Realserver.ToString(), transition.VirtualService);
        }
    }

    /// <summary>
    /// A virtual service's mass-failure hold started: alerted at the next tick, not grouped by host nor held back
    /// (a hold is itself the decision an operator must see). Never blocks; a full queue drops it and counts it.
    /// </summary>
    public void PostMassFailureHold(string virtualService, string why, DateTimeOffset at)
    {
        var message = new AlertMessage(AlertKind.MassFailureHeld, "", at, at, 1, 0, [new AlertedService(virtualService, "", false, why, at)]);
        if (!_immediate.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref Counters._dropped);
            AlertLog.Dropped(_logger, _options.QueueCapacity, message.Summary);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(_ => Tick(), null, _options.Tick, _options.Tick);
        _worker = Task.Run(WorkAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
        _outbox.Writer.TryComplete();
        if (_worker is not null)
        {
            // Alerts already queued get until the host's stop deadline, then the worker is cancelled.
            using var registration = cancellationToken.Register(_stopping.Cancel);
            await _worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Feeds queued transitions to the policy and queues what is due. Runs on the timer, one at a time.</summary>
    internal void Tick()
    {
        if (!_tickLock.TryEnter())
        {
            return; // the previous tick is still running; this one has nothing more to do
        }
        try
        {
            while (_intake.Reader.TryRead(out var transition))
            {
                _policy.Observe(transition);
            }
            var due = _policy.Due(_time.GetUtcNow());
            Volatile.Write(ref Counters._suppressed, _policy.Suppressed);
            while (_immediate.Reader.TryRead(out var message))
            {
                Queue(message);
            }
            foreach (var message in due ?? [])
            {
                Queue(message);
            }
        }
        finally
        {
            _tickLock.Exit();
        }
    }

    private void Queue(AlertMessage message)
    {
        AlertLog.Raised(_logger, message.Summary);
        if (!_outbox.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref Counters._dropped);
            AlertLog.Dropped(_logger, _options.QueueCapacity, message.Summary);
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(message, AlertJsonContext.Default.AlertMessage);
                foreach (var hook in _hooks)
                {
                    await CallAsync(hook, message, json).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping: whatever is still queued is dropped with the process
        }
    }

    private async Task CallAsync(IAlertHook hook, AlertMessage message, byte[] json)
    {
        using var deadline = new CancellationTokenSource(hook.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stopping.Token);
        try
        {
            await hook.SendAsync(message, json, linked.Token).ConfigureAwait(false);
            Interlocked.Increment(ref Counters._sent);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested || e is not OperationCanceledException)
        {
            Interlocked.Increment(ref Counters._failed);
            var why = deadline.IsCancellationRequested ? $"no answer within {hook.Timeout.TotalSeconds:0.###} s" : e.Message;
            AlertLog.HookFailed(_logger, hook.Name, message.Summary, why);
        }
    }
}
