using Ipvs.Checks.Io;

namespace Ipvs.Checks;

/// <summary>
/// The thread every socket probe's I/O runs on (the shared epoll loop). A scheduler that starts many probes at once
/// posts the starts here in one batch, so the probes' syscalls, their completions and the consumer's intake of the
/// results share the loop's passes instead of two threads waking each other once per probe.
/// </summary>
public static class ProbeLoop
{
    /// <summary>True on the loop thread.</summary>
    public static bool IsCurrentThread => EpollLoop.Shared.IsLoopThread;

    /// <summary>Runs <paramref name="work"/> on the loop thread soon, in order; one wake-up for all work posted meanwhile.</summary>
    public static void Post(IThreadPoolWorkItem work) => EpollLoop.Shared.Post(work);

    /// <summary>On the loop thread: runs <paramref name="work"/> once the current pass has dispatched everything. Elsewhere: posts it.</summary>
    public static void AfterPass(IThreadPoolWorkItem work) => EpollLoop.Shared.AfterPass(work);
}
