using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Probes;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class UdpIcmpCheckTests
{
    /// <summary>How long a silent server is waited for: the timeout these tests are about.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(300);

    /// <summary>For checks that must end before their timeout (a reply, an ICMP error): generous, for a loaded machine.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static Socket UdpServer(IPAddress address, Func<byte[], byte[]?> reply)
    {
        var server = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(address, 0));
        _ = Task.Run(async () =>
        {
            var buf = new byte[2048];
            try
            {
                while (true)
                {
                    var got = await server.ReceiveFromAsync(buf, new IPEndPoint(address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
                    if (reply(buf[..got.ReceivedBytes]) is { } r)
                    {
                        await server.SendToAsync(r, got.RemoteEndPoint);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        return server;
    }

    private static async Task<CheckResult> RunAsync(CheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        return result;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task RunAsync_UdpEcho_PassesOnMatchingReply(string address)
    {
        using var server = UdpServer(IPAddress.Parse(address), q => q.AsSpan().SequenceEqual("ping\n"u8) ? "pong ok"u8.ToArray() : "??"u8.ToArray());
        var ep = (IPEndPoint)server.LocalEndPoint!;
        var spec = new UdpCheckSpec { Timeout = Generous, Payload = "ping\\n", ExpectReply = "pong" };
        var first = await RunAsync(spec, ep);
        Assert.Equal((CheckStatus.Pass, null), (first.Status, first.Reason));
        var regex = await RunAsync(spec with { ExpectFormat = DataFormat.Regex, ExpectReply = "^pong\\s+ok$" }, ep);
        Assert.True(regex.Passed);
        var wrong = await RunAsync(spec with { Payload = "70 69 6e 67", PayloadFormat = DataFormat.Hex }, ep);
        Assert.Equal((CheckStatus.Fail, "reply did not contain \"pong\""), (wrong.Status, wrong.Reason));
        Assert.Equal(FailureKind.WrongAnswer, wrong.Kind);
    }

    [Fact]
    public async Task RunAsync_UdpClosedPort_FailsPortUnreachable()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ep = (IPEndPoint)closed.LocalEndPoint!;
        closed.Close();
        var spec = new UdpCheckSpec { Timeout = Generous, Payload = "x", PassOnNoIcmpUnreachable = true };
        var result = await RunAsync(spec, ep);
        Assert.Equal((CheckStatus.Fail, "port unreachable"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Unreachable, result.Kind);
    }

    [Fact]
    public async Task RunAsync_UdpSilentServer_PassesOnlyWhenAbsenceOfUnreachableSuffices()
    {
        using var server = UdpServer(IPAddress.Loopback, _ => null);
        var ep = (IPEndPoint)server.LocalEndPoint!;
        var silent = await RunAsync(new UdpCheckSpec { Timeout = Silence, Payload = "x", PassOnNoIcmpUnreachable = true }, ep);
        Assert.Equal(CheckStatus.Pass, silent.Status);
        var strict = await RunAsync(new UdpCheckSpec { Timeout = Silence, Payload = "x" }, ep);
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms while waiting for reply"), (strict.Status, strict.Reason));
        Assert.Equal(FailureKind.Timeout, strict.Kind);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("127.0.0.1", null)]
    public async Task RunAsync_IcmpEchoOnLoopback_Passes(string address, bool? raw)
    {
        var spec = new IcmpCheckSpec { Timeout = Generous };
        using var check = new IcmpCheck(spec, new CheckTarget(new IPEndPoint(IPAddress.Parse(address), 0)), null, raw);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        Assert.NotNull(check.UsedRaw);
    }

    [Fact]
    public async Task RunAsync_IcmpDatagramSocketWhenAllowed_Passes()
    {
        // The unprivileged ping socket needs our gid inside net.ipv4.ping_group_range; the tests run as root and widen
        // it to gid 0 for this test only, then put the old range back.
        const string knob = "/proc/sys/net/ipv4/ping_group_range";
        var old = File.ReadAllText(knob).Trim();
        File.WriteAllText(knob, "0 0");
        try
        {
            var spec = new IcmpCheckSpec { Timeout = Generous };
            using var check = new IcmpCheck(spec, new CheckTarget(new IPEndPoint(IPAddress.Loopback, 0)), null, false);
            var result = await check.RunAsync(TestContext.Current.CancellationToken);
            Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
            Assert.False(check.UsedRaw);
        }
        finally
        {
            File.WriteAllText(knob, old.Replace('\t', ' '));
        }
    }
}
