using System.Net;
using System.Text;
using Ipvs.Checks.Io;
using Ipvs.Checks.Probes;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>Realservers that misbehave: each gives the right verdict within the deadline and leaks no socket.</summary>
public sealed class HostileHttpTests
{
    /// <summary>The timeout of the checks this class expects to time out.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The timeout of the checks that must end before it (refused, garbage, a flood up to its cap): generous, so a
    /// loaded machine that runs the server a few hundred milliseconds late cannot turn the result into a timeout.
    /// </summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    private static async Task<CheckResult> RunAsync(HttpCheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        // The deadline holds (slack for a busy machine). Leaks are counted in NoLeakTests, which runs alone.
        Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        return result;
    }

    private static ScriptedServer Server(Func<Stream, CancellationToken, Task> handler) => new(handler);

    [Fact]
    public async Task RunAsync_Refused_FailsConnectionRefused()
    {
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous }, new IPEndPoint(IPAddress.Loopback, Ports.Unused()));
        Assert.Equal((CheckStatus.Fail, "connection refused"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Refused, result.Kind);
    }

    [Fact]
    public async Task RunAsync_AcceptsNeverAnswers_TimesOutReadingStatusLine()
    {
        await using var server = Server((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var result = await RunAsync(new HttpCheckSpec { Timeout = Deadline }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms while reading status line"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
    }

    [Fact]
    public async Task RunAsync_OneBytePerSecond_TimesOutWithinDeadline()
    {
        await using var server = Server(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            foreach (var b in "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray())
            {
                await s.WriteAsync(new[] { b }, ct);
                await s.FlushAsync(ct);
                await Task.Delay(1000, ct);
            }
        });
        var result = await RunAsync(new HttpCheckSpec { Timeout = Deadline }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms while reading status line"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
    }

    [Fact]
    public async Task RunAsync_TenMegabyteHeader_FailsHeaderTooLarge()
    {
        await using var server = Server(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync("HTTP/1.1 200 OK\r\nX-Junk: "u8.ToArray(), ct);
            var junk = new byte[64 * 1024];
            junk.AsSpan().Fill((byte)'x');
            for (var i = 0; i < 160; i++)
            {
                await s.WriteAsync(junk, ct);
            }
        });
        // Allocations of this probe alone, whatever runs beside it: its first steps run on this thread, the rest on an
        // epoll loop of its own (continuations run inline there), each measured by its thread's own counter.
        using var loop = new EpollLoop("hostile-10mb");
        var loopBefore = await LoopThread.RunAsync(loop, GC.GetAllocatedBytesForCurrentThread);
        using var check = new HttpCheck(new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring("ok") }, new CheckTarget(server.EndPoint), loop);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var run = check.RunAsync(TestContext.Current.CancellationToken);
        var here = GC.GetAllocatedBytesForCurrentThread() - before;
        var result = await run;
        var there = await LoopThread.RunAsync(loop, GC.GetAllocatedBytesForCurrentThread) - loopBefore;

        TestContext.Current.TestOutputHelper?.WriteLine($"probe allocated {here} B on the calling thread, {there} B on its loop thread");
        Assert.Equal((CheckStatus.Fail, "response header larger than 16384 bytes"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.ProtocolError, result.Kind);
        Assert.InRange(result.Latency, TimeSpan.Zero, Generous + LatencySlack.Bound);
        // The probe stops at its header limit rather than buffering the 10 MB flood: a few pooled buffers at most.
        Assert.InRange(here + there, 0, 256 * 1024);
    }

    [Fact]
    public async Task RunAsync_TenMegabyteBody_ReadsOnlyUpToCap()
    {
        await using var server = Server(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n"u8.ToArray(), ct);
            var junk = new byte[64 * 1024];
            for (var i = 0; i < 160; i++)
            {
                await s.WriteAsync(junk, ct);
            }
        });
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring("ok"), MaxBodyBytes = 8192 }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "body did not match \"ok\""), (result.Status, result.Reason));
        Assert.Equal(FailureKind.WrongAnswer, result.Kind);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP response")]
    [InlineData("\0\u0001\u0002garbage", "not an HTTP response")]
    [InlineData("HTTP/1.1 2", "connection closed while reading status line")]
    [InlineData("", "connection closed without a response")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le", "connection closed while reading headers")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok", "connection closed while reading body")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunked body")]
    public async Task RunAsync_GarbageOrClosedMidResponse_FailsWithReason(string response, string reason)
    {
        await using var server = Server(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.Latin1.GetBytes(response), ct);
        });
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring("ok") }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, reason), (result.Status, result.Reason));
        Assert.Equal(FailureKind.ProtocolError, result.Kind);
    }

    [Fact]
    public async Task RunAsync_ResetAfterAccept_FailsConnectionReset()
    {
        await using var server = Server(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            var socket = ((System.Net.Sockets.NetworkStream)s).Socket;
            socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            socket.Close();
        });
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous }, server.EndPoint);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains(result.Reason, new[] { "connection reset", "connection closed without a response" });
        Assert.Equal(result.Reason == "connection reset" ? FailureKind.Refused : FailureKind.ProtocolError, result.Kind);
    }

    [Theory]
    [InlineData("self-signed", "TLS: certificate not trusted (self-signed or unknown issuer)")]
    [InlineData("wrong-name", "TLS: certificate name does not match www.example.test")]
    [InlineData("expired", "TLS: certificate expired or not yet valid")]
    public async Task RunAsync_BadCertificateWithVerify_FailsWithTlsReason(string kind, string reason)
    {
        var cert = kind switch
        {
            "self-signed" => Certificates.SelfSigned("www.example.test"),
            "wrong-name" => Certificates.Leaf("other.example.test"),
            _ => Certificates.Leaf("www.example.test", expired: true),
        };
        await using var server = ScriptedServer.Reply("HTTP/1.1 200 OK\r\n\r\n", cert);
        var tls = new TlsOptions { Sni = "www.example.test", CaCertificate = Certificates.CaFile };
        var spec = new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(5), Tls = tls };
        var result = await RunAsync(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, reason), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Tls, result.Kind);
        // The same server passes when the operator turned verification off.
        Assert.True((await RunAsync(spec with { Tls = tls with { Verify = false } }, server.EndPoint)).Passed);
    }

    [Theory]
    [InlineData("wrong-name", true)]
    [InlineData("self-signed", false)]
    [InlineData("expired", false)]
    public async Task RunAsync_VerifyNameOff_OnlyTheChainCounts(string kind, bool passes)
    {
        var cert = kind switch
        {
            "self-signed" => Certificates.SelfSigned("www.example.test"),
            "wrong-name" => Certificates.Leaf("other.example.test"),
            _ => Certificates.Leaf("www.example.test", expired: true),
        };
        await using var server = ScriptedServer.Reply("HTTP/1.1 200 OK\r\n\r\n", cert);
        var tls = new TlsOptions { Sni = "www.example.test", CaCertificate = Certificates.CaFile, VerifyName = false };
        var result = await RunAsync(new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(5), Tls = tls }, server.EndPoint);
        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public async Task RunAsync_TlsServerNeverHandshakes_TimesOutInHandshake()
    {
        await using var server = Server((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var spec = new HttpCheckSpec { Timeout = Deadline, Tls = new TlsOptions { Verify = false } };
        var result = await RunAsync(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms while TLS handshake"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
    }

    [Fact]
    public async Task RunAsync_PlainHttpOnTlsCheck_FailsHandshake()
    {
        await using var server = ScriptedServer.Reply("HTTP/1.1 400 Bad Request\r\n\r\n");
        var result = await RunAsync(new HttpCheckSpec { Timeout = Deadline, Tls = new TlsOptions { Verify = false } }, server.EndPoint);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.NotNull(result.Reason);
    }
}
