using Ipvs.Netlink;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>After this many reads in a row were overtaken by our own batches, the next one is taken in the pass.</summary>
    private const int MaxOvertakenReads = 3;

    private KernelRead? _pendingRead;
    private long _applyGeneration;
    private int _overtakenReads;

    /// <summary>
    /// Starts the periodic full read. On the system clock the dump runs on a pool thread, off the driver and off
    /// the lock: a dump of 10,000 destinations takes milliseconds (far more on the kernel), and due checks must not
    /// wait behind it. Its result is taken in by a later pass (<see cref="TakeKernelRead"/>). In virtual time (unit
    /// tests) and after reads were overtaken repeatedly, it runs here, in the pass.
    /// </summary>
    private void StartFullRead()
    {
        if (_driver is null || _overtakenReads >= MaxOvertakenReads)
        {
            // Taken here, nothing can overtake it; the next one goes back off the loop.
            _overtakenReads = 0;
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

    /// <summary>Takes in a finished background read, unless one of our own batches went out while it ran.</summary>
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
            // The dump may show the table before or after that batch: it cannot tell drift from our own edits.
            // Read again soon (the re-read floor keeps this from spinning).
            _overtakenReads++;
            Counters._kernelReadsOvertaken++;
            _rereadRequested = true;
            return;
        }
        _overtakenReads = 0;
        Counters._fullReads++;
        _lastDump = Wall;
        ReadKernel(read.Result!, adopting: false);
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
