using System.Net;
using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class ExpectCheckTests
{
    /// <summary>For checks that must end before their timeout: generous, so a loaded machine cannot turn them into timeouts.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>An SMTP-speaking server: banner, EHLO/HELO, QUIT, and 500 for anything else (bounded lines).</summary>
    private static ScriptedServer Smtp(string banner = "220 mail.test ESMTP ready\r\n") => new(async (s, ct) =>
    {
        await s.WriteAsync(Encoding.ASCII.GetBytes(banner), ct);
        using var reader = new StreamReader(s, Encoding.ASCII, false, 256, leaveOpen: true);
        for (var i = 0; i < 10 && await reader.ReadLineAsync(ct) is { } line; i++)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            var reply = verb switch
            {
                "EHLO" => "250-mail.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
                "HELO" => "250 mail.test\r\n",
                "QUIT" => "221 bye\r\n",
                _ => "500 what\r\n",
            };
            await s.WriteAsync(Encoding.ASCII.GetBytes(reply), ct);
            if (verb == "QUIT")
            {
                return;
            }
        }
    });

    private static async Task<CheckResult> RunAsync(ExpectCheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        return result;
    }

    [Fact]
    public async Task RunAsync_SmtpPresetAgainstSmtpServer_Passes()
    {
        await using var server = Smtp();
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = Deadline }, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_SmtpRefusingBanner_FailsShowingWhatServerSaid()
    {
        await using var server = Smtp("554 mail.test no service here\r\n");
        // The timeout is what ends this check, but the banner must arrive before it: 3 s, not a few hundred ms.
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = TimeSpan.FromSeconds(3) }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "timeout after 3000 ms while waiting for /^220[ -]/ (got \"554 mail.test no service here\")"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
    }

    [Fact]
    public async Task RunAsync_HexAndTextSteps_Pass()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("login: "u8.ToArray(), ct);
            var buf = new byte[16];
            var n = await s.ReadAsync(buf, ct);
            await s.WriteAsync(n == 4 && buf[0] == 0x01 && buf[3] == 0xFF ? "\x02OK"u8.ToArray() : "NO"u8.ToArray(), ct);
        });
        var spec = new ExpectCheckSpec
        {
            Timeout = Deadline,
            Steps = [ExpectStep.Expect("login:"), ExpectStep.SendHex("01 02 03 ff"), ExpectStep.ExpectHex("02 4f 4b")],
        };
        Assert.True((await RunAsync(spec, server.EndPoint)).Passed);
    }

    /// <summary>A server that sends its banner after <paramref name="bannerDelay"/> and then never answers HELO.</summary>
    private static ScriptedServer LateBannerThenSilent(TimeSpan bannerDelay) => new(async (s, ct) =>
    {
        await Task.Delay(bannerDelay, ct);
        await s.WriteAsync("220 mail.test ready\r\n"u8.ToArray(), ct);
        await Task.Delay(Timeout.Infinite, ct);
    });

    [Theory]
    [InlineData(0, FailureKind.Timeout)]
    [InlineData(1500, FailureKind.DeadlineCutShort)]
    public async Task RunAsync_StepAfterALateBanner_TimeoutSaysWhetherTheStepWasCutShort(int bannerDelayMs, FailureKind kind)
    {
        // 2 s in all: the HELO reply wait begins at once after an immediate banner (a whole timeout's room), or after
        // 1.5 s of it were gone: the server then had under half of the check's time for the step that timed out.
        await using var server = LateBannerThenSilent(TimeSpan.FromMilliseconds(bannerDelayMs));
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = TimeSpan.FromSeconds(2) }, server.EndPoint);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.StartsWith("timeout after 2000 ms while waiting for /^250 /", result.Reason);
        Assert.Equal(kind, result.Kind);
    }

    [Fact]
    public async Task RunAsync_ServerClosesBeforeBanner_FailsConnectionClosed()
    {
        await using var server = new ScriptedServer((_, _) => Task.CompletedTask);
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = Deadline }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "connection closed while waiting for /^220[ -]/"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.ProtocolError, result.Kind);
    }

    [Fact]
    public async Task RunAsync_EndlessGarbage_StopsAtReadCap()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            var junk = new byte[4096];
            junk.AsSpan().Fill((byte)'x');
            for (var i = 0; i < 2560; i++)
            {
                await s.WriteAsync(junk, ct);
            }
        });
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = TimeSpan.FromSeconds(3), MaxReadBytes = 8192 }, server.EndPoint);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.StartsWith("expected /^220[ -]/ not in the first 8192 bytes", result.Reason);
        Assert.Equal(FailureKind.WrongAnswer, result.Kind);
    }

    [Fact]
    public async Task RunAsync_Refused_FailsConnectionRefused()
    {
        var result = await RunAsync(ExpectCheckSpec.Smtp() with { Timeout = Deadline }, new IPEndPoint(IPAddress.Loopback, Ports.Unused()));
        Assert.Equal((CheckStatus.Fail, "connection refused"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Refused, result.Kind);
    }
}
