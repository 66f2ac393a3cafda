using System.Net;
using System.Net.Sockets;
using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>The HTTP check's lean path (<see cref="IInlineCheck.Start"/>): the same verdicts and reasons as RunAsync.</summary>
public sealed class HttpCheckInlineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nall is ok\r\n";

    /// <summary>Runs the same check both ways, one after the other, and returns both results.</summary>
    private static async Task<(CheckResult Inline, CheckResult Async)> BothWays(HttpCheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        var inline = await TcpCheckInlineTests.RunInline(check);
        var viaAsync = await check.RunAsync(TestContext.Current.CancellationToken);
        return (inline, viaAsync);
    }

    private static ScriptedServer Writes(params string[] parts) => new(async (s, ct) =>
    {
        await ScriptedServer.ReadRequestAsync(s, ct);
        foreach (var part in parts)
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes(part), ct);
            await s.FlushAsync(ct);
            await Task.Delay(20, ct);
        }
    });

    [Theory]
    [InlineData(null, CheckStatus.Pass, Ok)]
    [InlineData("status 503", CheckStatus.Fail, "HTTP/1.0 503 Service Unavailable\r\n\r\n")]
    [InlineData("not an HTTP response", CheckStatus.Fail, "SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("connection closed without a response", CheckStatus.Fail, "")]
    [InlineData("connection closed while reading status line", CheckStatus.Fail, "HTTP/1.1 2")]
    [InlineData(null, CheckStatus.Pass, "H", "TTP/1.", "1 20", "4 No Content\r\n\r\n")]
    public async Task Start_Response_SameVerdictAsRunAsync(string? reason, CheckStatus status, params string[] parts)
    {
        await using var server = Writes(parts);
        var (inline, viaAsync) = await BothWays(new HttpCheckSpec { Timeout = Generous }, server.EndPoint);
        Assert.Equal((status, reason), (inline.Status, inline.Reason));
        Assert.Equal((viaAsync.Status, viaAsync.Reason, viaAsync.Kind), (inline.Status, inline.Reason, inline.Kind));
        var kind = reason switch
        {
            null => FailureKind.None,
            "status 503" => FailureKind.WrongAnswer,
            _ => FailureKind.ProtocolError,
        };
        Assert.Equal(kind, inline.Kind);
    }

    [Fact]
    public async Task Start_Refused_FailsConnectionRefused()
    {
        var (inline, _) = await BothWays(new HttpCheckSpec { Timeout = Generous }, new IPEndPoint(IPAddress.Loopback, Ports.Unused()));
        Assert.Equal((CheckStatus.Fail, "connection refused"), (inline.Status, inline.Reason));
        Assert.Equal(FailureKind.Refused, inline.Kind);
    }

    [Fact]
    public async Task Start_AcceptsNeverAnswers_TimesOutReadingStatusLine()
    {
        await using var server = new ScriptedServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        using var check = new HttpCheckSpec { Timeout = TimeSpan.FromMilliseconds(300) }.Create(new CheckTarget(server.EndPoint));
        var result = await TcpCheckInlineTests.RunInline(check);
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms while reading status line"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
        Assert.InRange(result.Latency.TotalMilliseconds, 250, 30_000);
    }

    [Fact]
    public async Task Start_RunAgain_StartsFromAnEmptyBuffer()
    {
        await using var server = Writes("HTTP/1.1 200 OK\r\n\r\n");
        using var check = new HttpCheckSpec { Timeout = Generous }.Create(new CheckTarget(server.EndPoint));
        for (var i = 0; i < 3; i++)
        {
            var result = await TcpCheckInlineTests.RunInline(check);
            Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        }
    }

    [Theory]
    [InlineData("all is ok", CheckStatus.Pass, null)]
    [InlineData("nope", CheckStatus.Fail, "body did not match \"nope\"")]
    public async Task Start_BodyMatch_TakesTheAsyncRunWithItsVerdict(string expect, CheckStatus status, string? reason)
    {
        await using var server = Writes(Ok);
        var (inline, viaAsync) = await BothWays(new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring(expect) }, server.EndPoint);
        Assert.Equal((viaAsync.Status, viaAsync.Reason), (inline.Status, inline.Reason));
        Assert.Equal(status, inline.Status);
        if (reason is not null)
        {
            Assert.Equal(reason, inline.Reason);
        }
    }

    [Fact]
    public async Task Start_Https_TakesTheAsyncRunAndPasses()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
        }, Certificates.SelfSigned("inline.test"));
        var spec = new HttpCheckSpec { Timeout = Generous, Tls = new TlsOptions { Sni = "inline.test", Verify = false } };
        var (inline, _) = await BothWays(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (inline.Status, inline.Reason));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancel_WhileWaitingForTheReply_EndsTheRunAsCancelled(bool tls)
    {
        await using var server = new ScriptedServer((_, ct) => Task.Delay(Timeout.Infinite, ct), tls ? Certificates.SelfSigned("inline.test") : null);
        var spec = new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(30), Tls = tls ? new TlsOptions { Sni = "inline.test", Verify = false } : null };
        using var check = spec.Create(new CheckTarget(server.EndPoint));
        var completion = new TcpCheckInlineTests.Completion();
        ProbeLoop.Standalone.Post(new TcpCheckInlineTests.StartItem((IInlineCheck)check, completion));
        await Task.Delay(300, TestContext.Current.CancellationToken); // connected (and handshaken) by now, waiting for the reply
        ((IInlineCheck)check).Cancel();
        var result = await completion.Result;
        Assert.Equal((CheckStatus.Error, "cancelled"), (result.Status, result.Reason));
        Assert.Equal(1, completion.Calls);
    }

    [Fact]
    public async Task Start_VerdictIn_ClosesWithReset()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
            try
            {
                seen.TrySetResult(await s.ReadAsync(new byte[16], ct) == 0 ? "end of stream" : "data");
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                seen.TrySetResult("reset");
            }
        });
        using var check = new HttpCheckSpec { Timeout = Generous }.Create(new CheckTarget(server.EndPoint));
        Assert.True((await TcpCheckInlineTests.RunInline(check)).Passed);
        Assert.Equal("reset", await seen.Task.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }
}
