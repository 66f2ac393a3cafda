using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class TcpCheckTests
{
    /// <summary>
    /// For checks that must end before their timeout (connected, refused, bind error): generous, so a loopback connect
    /// that a loaded machine delays past a few hundred milliseconds cannot turn into a timeout.
    /// </summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task RunAsync_Listening_Passes(string address)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        listener.Listen(16);
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(new CheckTarget((IPEndPoint)listener.LocalEndPoint!));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.True(result.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task RunAsync_ClosedPort_FailsConnectionRefused()
    {
        var port = Ports.Unused();
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(new CheckTarget(new IPEndPoint(IPAddress.Loopback, port)));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("connection refused", result.Reason);
    }

    [Fact]
    public async Task RunAsync_AcceptQueueFull_TimesOutWithinDeadline()
    {
        using var hole = Blackhole.Start();
        using var check = new TcpCheckSpec { Timeout = TimeSpan.FromMilliseconds(200) }.Create(new CheckTarget(hole.EndPoint));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("timeout after 200 ms while connecting", result.Reason);
        // Not before its timeout; the upper bound only says the check gave up by itself (a loaded machine may run
        // the timeout's continuation late, so it is no measure of precision: that is for the benchmarks).
        Assert.InRange(result.Latency.TotalMilliseconds, 150, 30_000);
    }

    [Fact]
    public async Task RunAsync_BadSourceAddress_IsErrorNotFail()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        // 192.0.2.1 (TEST-NET-1) is not an address of this host: bind fails before any packet leaves.
        var target = new CheckTarget((IPEndPoint)listener.LocalEndPoint!, SourceAddress: IPAddress.Parse("192.0.2.1"));
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(target);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal((CheckStatus.Error, "source address not available"), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_SourceAddressAndMark_PassesFromThatAddress()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var source = IPAddress.Parse("127.0.0.9");
        var target = new CheckTarget((IPEndPoint)listener.LocalEndPoint!, SourceAddress: source, FirewallMark: 7);
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(target);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        using var accepted = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(source, ((IPEndPoint)accepted.RemoteEndPoint!).Address.MapToIPv4());
    }

    [Fact]
    public async Task RunAsync_ManyRuns_LeaksNoDescriptor()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var refused = new IPEndPoint(IPAddress.Loopback, Ports.Unused());
        // A generous deadline: this test counts descriptors; a loopback connect that a loaded machine delays past
        // 300 ms must not fail it.
        using var up = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(10) }.Create(new CheckTarget((IPEndPoint)listener.LocalEndPoint!));
        using var down = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(10) }.Create(new CheckTarget(refused));
        await up.RunAsync(TestContext.Current.CancellationToken);
        var before = FdCount.Open();
        for (var i = 0; i < 200; i++)
        {
            Assert.True((await up.RunAsync(TestContext.Current.CancellationToken)).Passed);
            Assert.False((await down.RunAsync(TestContext.Current.CancellationToken)).Passed);
        }
        Assert.InRange(await FdCount.SettlesAtAsync(before), 0, before + 2);
    }
}
