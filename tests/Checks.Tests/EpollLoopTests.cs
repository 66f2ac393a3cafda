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
}
