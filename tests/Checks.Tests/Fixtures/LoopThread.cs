using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>
/// Runs a function on an epoll loop's own thread, to read what only that thread knows — its allocation count
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>). A readiness wait completes its continuation inline on the
/// loop thread; the wait is on a UDP socket that becomes readable only after the continuation is in place, so it
/// cannot complete early on the calling thread.
/// </summary>
internal static class LoopThread
{
    public static async Task<T> RunAsync<T>(EpollLoop loop, Func<T> func)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var waiter = new ReadinessWaiter(loop);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var awaiter = waiter.WaitAsync((int)receiver.Handle, LibC.EPOLLIN, add: true, Environment.TickCount64 + 30_000).ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() =>
        {
            try
            {
                var events = awaiter.GetResult();
                done.SetResult(events > 0 && loop.IsLoopThread
                    ? func()
                    : throw new InvalidOperationException($"the wait ended with {events} on {(loop.IsLoopThread ? "the loop thread" : "another thread")}"));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        sender.SendTo([1], receiver.LocalEndPoint!);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
