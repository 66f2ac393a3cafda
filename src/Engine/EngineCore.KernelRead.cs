using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    private KernelRead? _pendingRead;
    private long _applyGeneration;

    /// <summary>
    /// Starts the periodic full read. On the system clock the dump runs on a pool thread, off the driver and off
    /// the lock: a dump of 10,000 destinations takes milliseconds (far more on the kernel), and due checks must not
    /// wait behind it. Its result is taken in by a later pass (<see cref="TakeKernelRead"/>). In virtual time (unit
    /// tests) it runs here, in the pass.
    /// </summary>
    private void StartFullRead()
    {
        if (_driver is null)
        {
            FullRead();
            return;
        }
        _nextFullRead = _now + _options.ReconcileInterval.Ticks;
        _lastReadAt = _now;
        _rereadRequested = false;
        var read = new KernelRead(this, _applyGeneration);
        _pendingRead = read;
        ThreadPool.UnsafeQueueUserWorkItem(read, preferLocal: false);
    }

    /// <summary>
    /// Takes in a finished background read. A service one of our own batches edited while the dump ran may show
    /// the table before or after that batch, so the read cannot tell drift from our own edit there: such a service
    /// keeps the view our batch left and the next read looks at it; every other service is taken in. (Throwing the
    /// whole read away instead made a large table unreadable while realservers kept changing: at 10,000
    /// realservers a dump outlasts the gap between two batches, so every read was overtaken, and the fallback of
    /// reading in the pass held the engine up for the length of a dump.)
    /// </summary>
    private void TakeKernelRead()
    {
        if (_pendingRead is not { IsDone: true } read)
        {
            return;
        }
        _pendingRead = null;
        if (read.Error is { } error)
        {
            EngineLog.TableFailed(_logger, Table.Description, error.Message);
            return;
        }
        if (read.Generation != _applyGeneration)
        {
            Counters._kernelReadsOvertaken++;
        }
        Counters._fullReads++;
        _lastDump = Wall;
        ReadKernel(read.Result!, adopting: false, editedAfter: read.Generation);
    }

    /// <summary>One background dump of the table; hands its result back by waking the driver.</summary>
    private sealed class KernelRead(EngineCore engine, long generation) : IThreadPoolWorkItem
    {
        private volatile bool _done;

        public long Generation { get; } = generation;

        public IReadOnlyList<ServiceEntry>? Result { get; private set; }

        public Exception? Error { get; private set; }

        public bool IsDone => _done;

        public void Execute()
        {
            try
            {
                Result = engine.Table.Dump();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Error = ex;
            }
            _done = true;
            try
            {
                engine._wake.Set();
            }
            catch (ObjectDisposedException)
            {
                // The engine was disposed while the dump ran: nobody is left to take it in.
            }
        }
    }
}
