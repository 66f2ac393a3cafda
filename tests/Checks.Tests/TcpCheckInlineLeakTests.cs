using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>Descriptors after many lean-path runs (in the non-parallel collection: the count is the process's).</summary>
[Collection(nameof(NoLeakTests))]
public sealed class TcpCheckInlineLeakTests
{
    [Fact]
    public async Task Start_ManyRunsBothPaths_LeaksNoDescriptor()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        using var up = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(10) }.Create(new CheckTarget((IPEndPoint)listener.LocalEndPoint!));
        using var down = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(10) }.Create(new CheckTarget(new IPEndPoint(IPAddress.Loopback, Ports.Unused())));
        await TcpCheckInlineTests.RunInline(up);
        var before = FdCount.Open();
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await TcpCheckInlineTests.RunInline(up)).Passed);
            Assert.False((await TcpCheckInlineTests.RunInline(down)).Passed);
            Assert.True((await up.RunAsync(TestContext.Current.CancellationToken)).Passed);
        }
        Assert.InRange(await FdCount.SettlesAtAsync(before), 0, before + 2);
    }
}
