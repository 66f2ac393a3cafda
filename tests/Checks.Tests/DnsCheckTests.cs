using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class DnsCheckTests(Dnsmasq dns) : IClassFixture<Dnsmasq>
{
    /// <summary>Every check here ends before its timeout unless it is the one being tested: generous, for a loaded machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static async Task<CheckResult> RunAsync(DnsCheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        return result;
    }

    [Theory]
    [InlineData("a.test", DnsQueryType.A, "127.0.0.42", false)]
    [InlineData("a.test", DnsQueryType.A, "127.0.0.42", true)]
    [InlineData("h6.test", DnsQueryType.AAAA, "::42", false)]
    [InlineData("t.test", DnsQueryType.TXT, "hello checks", false)]
    [InlineData("m.test", DnsQueryType.MX, "mail.m.test", true)]
    [InlineData("c.test", DnsQueryType.CNAME, "a.test", false)]
    public async Task RunAsync_RealServer_PassesWithExpectedAnswer(string name, DnsQueryType type, string answer, bool tcp)
    {
        var spec = new DnsCheckSpec { Timeout = Deadline, QueryName = name, QueryType = type, Tcp = tcp, ExpectedAnswer = answer };
        var result = await RunAsync(spec, dns.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_OtherAnswer_FailsAnswerNotInReply()
    {
        var spec = new DnsCheckSpec { Timeout = Deadline, QueryName = "a.test", QueryType = DnsQueryType.A, ExpectedAnswer = "127.0.0.7" };
        var result = await RunAsync(spec, dns.EndPoint);
        Assert.Equal((CheckStatus.Fail, "answer 127.0.0.7 not in reply"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.WrongAnswer, result.Kind);
    }

    [Fact]
    public async Task RunAsync_UnknownName_FailsWithRcode()
    {
        var spec = new DnsCheckSpec { Timeout = Deadline, QueryName = "nothing.invalid", QueryType = DnsQueryType.A };
        var result = await RunAsync(spec, dns.EndPoint);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains(result.Reason, new[] { "REFUSED", "NXDOMAIN", "no answer" });
        Assert.Equal(FailureKind.WrongAnswer, result.Kind);
    }

    [Fact]
    public async Task RunAsync_ClosedUdpPort_FailsPortUnreachable()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ep = (IPEndPoint)udp.LocalEndPoint!;
        udp.Close();
        var result = await RunAsync(new DnsCheckSpec { Timeout = Deadline, QueryName = "a.test", QueryType = DnsQueryType.A }, ep);
        Assert.Equal((CheckStatus.Fail, "port unreachable"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Unreachable, result.Kind);
    }

    // A reply the check must see before its timeout gets a generous one (garbage, other question: 10 s; the
    // ignored wrong id: 3 s, the test waits that long); only "silent" has nothing to wait for.
    [Theory]
    [InlineData("wrong-id", 3000, "timeout after 3000 ms while waiting for reply (ignored 1 reply with a wrong id)", FailureKind.Timeout)]
    [InlineData("garbage", 10000, "not a DNS reply", FailureKind.ProtocolError)]
    [InlineData("silent", 300, "timeout after 300 ms while waiting for reply", FailureKind.Timeout)]
    [InlineData("other-question", 10000, "reply to another question", FailureKind.WrongAnswer)]
    public async Task RunAsync_HostileUdpServer_FailsWithReason(string behaviour, int timeoutMs, string reason, FailureKind kind)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // A thread of its own, blocking: the reply must not wait for a thread-pool thread on a loaded machine.
        var serve = Task.Factory.StartNew(() =>
        {
            var buf = new byte[512];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var n = server.ReceiveFrom(buf, ref from);
            var got = (ReceivedBytes: n, RemoteEndPoint: from);
            var reply = buf[..got.ReceivedBytes];
            reply[2] |= 0x80;
            switch (behaviour)
            {
                case "wrong-id":
                    reply[1] ^= 0x5A;
                    break;
                case "garbage":
                    reply = [1, 2, 3];
                    break;
                case "silent":
                    return;
                case "other-question":
                    reply[^5] ^= 0x20 ^ 0x01; // a different last letter of the name
                    break;
            }
            server.SendTo(reply, got.RemoteEndPoint);
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var spec = new DnsCheckSpec { Timeout = TimeSpan.FromMilliseconds(timeoutMs), QueryName = "a.test", QueryType = DnsQueryType.A };
        var result = await RunAsync(spec, (IPEndPoint)server.LocalEndPoint!);
        Assert.Equal((CheckStatus.Fail, reason), (result.Status, result.Reason));
        Assert.Equal(kind, result.Kind);
        await serve;
    }
}
