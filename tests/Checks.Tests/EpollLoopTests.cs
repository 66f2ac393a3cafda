using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;
using Ipvs.Checks.Probes;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class EpollLoopTests
{
    /// <summary>
    /// A wait armed when its deadline has already passed (the arming thread was starved between a probe's start and its
    /// first wait) on a socket that is ready: the loop must look at the socket before it calls the wait a timeout. Armed
    /// from a continuation inside the loop's event pass, the old loop expired it in the same pass, without ever polling it.
    /// </summary>
    [Fact]
    public async Task WaitAsync_ArmedPastItsDeadlineOnReadySocket_ReportsReadyNotTimeout()
    {
        using var loop = new EpollLoop("late-arm");
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo([1], receiver.LocalEndPoint!);
        using var waiter = new ReadinessWaiter(loop);

        var wait = await LoopThread.RunAsync(loop,
            () => waiter.WaitAsync((int)receiver.Handle, LibC.EPOLLIN, add: true, Environment.TickCount64 - 5_000).AsTask());
        var events = await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(events > 0, $"the wait ended with {events} (-ETIMEDOUT is -{LibC.ETIMEDOUT}) although the socket was readable");
        Assert.NotEqual(0u, (uint)events & LibC.EPOLLIN);
    }

    /// <summary>The same late arm on a socket that is not ready still times out (at once: its deadline is past).</summary>
    [Fact]
    public async Task WaitAsync_ArmedPastItsDeadlineOnIdleSocket_TimesOut()
    {
        using var loop = new EpollLoop("late-arm-idle");
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var waiter = new ReadinessWaiter(loop);

        var wait = await LoopThread.RunAsync(loop,
            () => waiter.WaitAsync((int)receiver.Handle, LibC.EPOLLIN, add: true, Environment.TickCount64 - 5_000).AsTask());

        Assert.Equal(-LibC.ETIMEDOUT, await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A loop held up (a long pass) while more fds became ready than it takes in before it expires deadlines (four
    /// epoll batches): every one of them was ready before its deadline, so none may be reported as a timeout. The old
    /// loop timed out the ones past its fourth batch (bursts of false downs at 2,000 checks/s in the VM).
    /// </summary>
    [Fact]
    public async Task Expire_MoreReadyThanTheLoopTakesInOnePass_NoneTimesOut()
    {
        const int Count = 1500;
        var ct = TestContext.Current.CancellationToken;
        using var loop = new EpollLoop("flood");
        using var busy = new ManualResetEventSlim();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new Work(() =>
        {
            held.SetResult();
            busy.Wait(TimeSpan.FromSeconds(30));
        }));
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var receivers = new List<Socket>();
        var waiters = new List<ReadinessWaiter>();
        var waits = new List<Task<int>>();
        try
        {
            for (var i = 0; i < Count; i++)
            {
                var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                receivers.Add(receiver);
                receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                sender.SendTo([1], receiver.LocalEndPoint!);
                var waiter = new ReadinessWaiter(loop);
                waiters.Add(waiter);
                waits.Add(waiter.WaitAsync((int)receiver.Handle, LibC.EPOLLIN, add: true, Environment.TickCount64 + 20).AsTask());
            }
            await Task.Delay(100, ct); // every deadline passes while the loop is held
            busy.Set();
            var results = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30), ct);

            Assert.Equal(0, results.Count(r => r == -LibC.ETIMEDOUT));
            Assert.All(results, r => Assert.NotEqual(0, r & (int)LibC.EPOLLIN));
            Assert.True(loop.ReadyAtExpiry > 0, "the flood did not reach the expiry path; the test proves nothing");
        }
        finally
        {
            busy.Set();
            waiters.ForEach(w => w.Dispose());
            receivers.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Deadline_WaitEndedEarly_DroppedWithoutWaitingForIt()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        using var loop = new EpollLoop("deadline-drop");
        // A long deadline: the connect ends in microseconds, the deadline entry would stay for a minute.
        using var check = new TcpCheck(new TcpCheckSpec { Timeout = TimeSpan.FromMinutes(1) }, new CheckTarget((IPEndPoint)listener.LocalEndPoint!), loop);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Pass, result.Status);

        // The loop computes its next sleep right after completing the wait: the ended wait's deadline goes then,
        // so the loop neither wakes for it nor keeps it. (Bounded by 30 s of polling, far below the 1 min deadline.)
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (loop.PendingDeadlines != 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, loop.PendingDeadlines);
        Assert.True(loop.StaleDeadlinesDropped >= 1);
    }

    /// <summary>
    /// The loop sleeps at most a second with no deadline queued. A wait armed from another thread with a deadline past
    /// that needs no wake-up: the old loop planned "never" and wrote the eventfd for every such arm (a write, a read and
    /// a context switch per probe).
    /// </summary>
    [Fact]
    public async Task Arm_IdleLoopDeadlineAfterItsNextLook_DoesNotWakeIt()
    {
        using var loop = new EpollLoop("no-wake");
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var waiter = new ReadinessWaiter(loop);
        await Task.Delay(200, TestContext.Current.CancellationToken); // the loop is asleep with nothing queued
        var wakes = loop.Wakes;

        var wait = waiter.WaitAsync((int)receiver.Handle, LibC.EPOLLIN, add: true, Environment.TickCount64 + 5_000);

        Assert.Equal(wakes, loop.Wakes);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo([1], receiver.LocalEndPoint!);
        Assert.True(await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken) > 0);
    }

    /// <summary>Work posted while the loop is busy runs on the loop thread, in order, and all of it costs one wake-up.</summary>
    [Fact]
    public async Task Post_ManyWhileLoopBusy_RunInOrderOnLoopThreadWithOneWake()
    {
        using var loop = new EpollLoop("post");
        using var busy = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new Work(() =>
        {
            started.SetResult();
            busy.Wait(TimeSpan.FromSeconds(30));
        }));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var wakes = loop.Wakes;
        var ran = new List<(int, bool)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            loop.Post(new Work(() =>
            {
                ran.Add((n, loop.IsLoopThread));
                if (n == 49)
                {
                    done.SetResult();
                }
            }));
        }
        busy.Set();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (i, true)), ran);
        Assert.Equal(wakes + 1, loop.Wakes);
    }

    /// <summary>Inside one loop pass every timestamp is the pass's own (one clock read per pass, not per probe).</summary>
    [Fact]
    public async Task Timestamp_InsideOnePass_SameValue()
    {
        using var loop = new EpollLoop("stamp");
        var stamps = new TaskCompletionSource<(long, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new Work(() =>
        {
            var first = loop.Timestamp();
            Thread.Sleep(20);
            stamps.SetResult((first, loop.Timestamp()));
        }));
        var (a, b) = await stamps.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(a, b);
        var outside = loop.Timestamp();
        Thread.Sleep(20);
        Assert.True(loop.Timestamp() > outside, "off the loop thread every call reads the clock");
    }

    private sealed class Work(Action action) : IThreadPoolWorkItem
    {
        public void Execute() => action();
    }
}
