using Ipvs.Checks.Io;

namespace Ipvs.Checks;

/// <summary>
/// One probe I/O thread (an epoll loop): the probes created on it arm their sockets there, and their completions run
/// there. A scheduler that starts many probes at once posts the starts here in one batch, so the probes' syscalls,
/// their completions and the consumer's intake of the results share the loop's passes instead of two threads waking
/// each other once per probe. A set of them is a <see cref="ProbeLoops"/>, handed to whoever schedules probes.
/// </summary>
public sealed class ProbeLoop : IDisposable
{
    private static ProbeLoop? s_standalone;

    internal ProbeLoop(EpollLoop epoll, int index)
    {
        Epoll = epoll;
        Index = index;
        epoll.Owner = this;
    }

    /// <summary>
    /// The loop of probes made without one (<see cref="CheckSpec.Create(CheckTarget)"/>): one-off checks, tools and
    /// tests. A scheduler never uses it: it is handed its own <see cref="ProbeLoops"/>.
    /// </summary>
    public static ProbeLoop Standalone
    {
        get
        {
            if (s_standalone is { } loop)
            {
                return loop;
            }
            var created = new ProbeLoop(EpollLoop.Shared, 0);
            return Interlocked.CompareExchange(ref s_standalone, created, null) ?? created;
        }
    }

    /// <summary>The probe loop whose thread this is, or null on any other thread.</summary>
    public static ProbeLoop? Current => EpollLoop.Current?.Owner;

    /// <summary>The loop's place in its <see cref="ProbeLoops"/> (0 for a standalone loop).</summary>
    public int Index { get; }

    /// <summary>True on this loop's thread.</summary>
    public bool IsCurrentThread => Epoll.IsLoopThread;

    internal EpollLoop Epoll { get; }

    /// <summary>Runs <paramref name="work"/> on the loop thread soon, in order; one wake-up for all work posted meanwhile.</summary>
    public void Post(IThreadPoolWorkItem work) => Epoll.Post(work);

    /// <summary>On the loop thread: runs <paramref name="work"/> once the current pass has dispatched everything. Elsewhere: posts it.</summary>
    public void AfterPass(IThreadPoolWorkItem work) => Epoll.AfterPass(work);

    /// <summary>How busy and how late the loop has been (read from any thread; figures of the last few seconds).</summary>
    public ProbeLoopStats Stats() => Epoll.Stats(Index);

    public void Dispose()
    {
        if (!ReferenceEquals(this, s_standalone))
        {
            Epoll.Dispose();
        }
    }
}
