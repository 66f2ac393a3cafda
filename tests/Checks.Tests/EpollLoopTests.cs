using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Io;
using Ipvs.Checks.Probes;

namespace Ipvs.Checks.Tests;

public sealed class EpollLoopTests
{
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
