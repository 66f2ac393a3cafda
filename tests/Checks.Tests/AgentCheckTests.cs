using System.Diagnostics;
using System.Net;
using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>The agent kind against real agents on loopback: HAProxy's words, and hostile agents within the deadline.</summary>
public sealed class AgentCheckTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(300);

    private static ScriptedServer Agent(string line) => new(async (s, ct) => await s.WriteAsync(Encoding.ASCII.GetBytes(line), ct));

    private static async Task<CheckResult> RunAsync(IPEndPoint ep, AgentCheckSpec? spec = null)
    {
        using var check = (spec ?? new AgentCheckSpec { Timeout = Deadline }).Create(new CheckTarget(ep));
        return await check.RunAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("75%\n", true, 75, AgentState.None)]
    [InlineData("up 50% ready\r\n", true, 50, AgentState.Ready)]
    [InlineData("DRAIN,20%", true, 20, AgentState.Drain)]
    [InlineData("maint\n", false, 0, AgentState.Maint)]
    [InlineData("up\n", false, 0, AgentState.None)]
    [InlineData("150%\n", true, 150, AgentState.None)]
    public async Task RunAsync_AgentWords_PassWithTheirReport(string line, bool hasPercent, int percent, AgentState state)
    {
        await using var agent = Agent(line);

        var r = await RunAsync(agent.EndPoint);

        Assert.Equal(CheckStatus.Pass, r.Status);
        Assert.Null(r.Reason);
        Assert.Equal(new AgentReport(hasPercent, percent, state), r.Agent);
    }

    [Theory]
    [InlineData("down #disk full\n", "agent says down: disk full")]
    [InlineData("fail\n", "agent says fail")]
    [InlineData("stopped # shutting down\n", "agent says stopped: shutting down")]
    public async Task RunAsync_DownWords_FailWithTheReasonAfterTheHash(string line, string reason)
    {
        await using var agent = Agent(line);

        var r = await RunAsync(agent.EndPoint);

        Assert.Equal((CheckStatus.Fail, reason), (r.Status, r.Reason));
    }

    [Fact]
    public async Task RunAsync_SendLine_AgentReceivesIt()
    {
        string? got = null;
        await using var agent = new ScriptedServer(async (s, ct) =>
        {
            var buffer = new byte[64];
            var n = await s.ReadAsync(buffer, ct);
            got = Encoding.ASCII.GetString(buffer, 0, n);
            await s.WriteAsync("60%\n"u8.ToArray(), ct);
        });

        var r = await RunAsync(agent.EndPoint, new AgentCheckSpec { Timeout = Deadline, Send = "hello web" });

        Assert.Equal((CheckStatus.Pass, 60), (r.Status, r.Agent.Percent));
        Assert.Equal("hello web\n", got);
    }

    [Fact]
    public async Task RunAsync_Unreachable_PassesIgnoredUnlessConfigured()
    {
        var closed = new IPEndPoint(IPAddress.Loopback, Ports.Unused());

        var ignored = await RunAsync(closed);
        var required = await RunAsync(closed, new AgentCheckSpec { Timeout = Deadline, DownWhenUnreachable = true });

        Assert.Equal((CheckStatus.Pass, "agent unreachable: connection refused (ignored)"), (ignored.Status, ignored.Reason));
        Assert.True(ignored.Agent.IsEmpty);
        Assert.Equal((CheckStatus.Fail, "agent unreachable: connection refused"), (required.Status, required.Reason));
    }

    public static TheoryData<string, Func<Stream, CancellationToken, Task>, string> Hostile => new()
    {
        { "garbage", async (s, ct) => await s.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0xff, 0x00, (byte)'\n' }, ct), "agent answer has no known word: '?????'" },
        { "1 MB line", async (s, ct) => { var mb = new byte[1 << 20]; Array.Fill(mb, (byte)'x'); await s.WriteAsync(mb, ct); }, "agent answer has no known word: '" + new string('x', 120) + "'" },
        { "never answers", (_, ct) => Task.Delay(Timeout.Infinite, ct), "agent gave no answer: timeout after 300 ms" },
        { "closes at once", (_, _) => Task.CompletedTask, "agent closed without an answer" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task RunAsync_HostileAgent_VerdictWithReasonWithinTheDeadline(string name, Func<Stream, CancellationToken, Task> behaviour, string reason)
    {
        await using var agent = new ScriptedServer(behaviour);
        var spec = new AgentCheckSpec { Timeout = Deadline, DownWhenUnreachable = true };

        var clock = Stopwatch.StartNew();
        var r = await RunAsync(agent.EndPoint, spec);

        Assert.True(clock.Elapsed < Deadline + LatencySlack.Bound, $"{name}: {clock.Elapsed}");
        Assert.Equal(CheckStatus.Fail, r.Status);
        Assert.StartsWith(reason, r.Reason, StringComparison.Ordinal);
    }
}
