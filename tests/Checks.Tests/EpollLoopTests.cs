using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;
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
}
