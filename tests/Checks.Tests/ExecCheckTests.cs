using System.Net;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

[Collection(nameof(NoLeakTests))]
public sealed class ExecCheckTests
{
    private static readonly CheckTarget Target = new(
        new IPEndPoint(IPAddress.Parse("127.0.0.5"), 8080), new IPEndPoint(IPAddress.Parse("127.0.0.6"), 80), "tcp/10.0.0.1:80");

    private static async Task<CheckResult> RunAsync(ExecCheckSpec spec, CheckTarget? target = null)
    {
        using var check = spec.Create(target ?? Target);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);
        Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        return result;
    }

    // The default timeout is generous: a process start on a loaded machine can take a second or more, and only the
    // timeout test (which passes its own) expects a command to be killed.
    private static ExecCheckSpec Shell(string script, int timeoutMs = 10_000) =>
        new() { Command = "/bin/sh", Arguments = ["-c", script, "check", "{address}", "{port}", "{rs_address}", "{rs_port}", "{vs}"], Timeout = TimeSpan.FromMilliseconds(timeoutMs) };

    [Fact]
    public async Task RunAsync_ExitZero_PassesWithTargetInArgsAndEnvironment()
    {
        var script = "[ \"$1:$2 $3:$4 $5\" = '127.0.0.5:8080 127.0.0.6:80 tcp/10.0.0.1:80' ] && "
            + "[ \"$IPVS_CHECK_ADDRESS:$IPVS_CHECK_PORT $IPVS_REALSERVER_ADDRESS:$IPVS_REALSERVER_PORT $IPVS_VIRTUAL_SERVICE\" = '127.0.0.5:8080 127.0.0.6:80 tcp/10.0.0.1:80' ]";
        var result = await RunAsync(Shell(script));
        Assert.Equal((CheckStatus.Pass, null, (int?)null), (result.Status, result.Reason, result.Weight));
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_FailsWithCodeAndFirstOutputLine()
    {
        var result = await RunAsync(Shell("echo 'backend says no' >&2; echo more; exit 3"));
        Assert.Equal((CheckStatus.Fail, "exit code 3: backend says no"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.ExitCode, result.Kind);
    }

    [Theory]
    [InlineData(0, CheckStatus.Pass, null)]
    [InlineData(1, CheckStatus.Fail, null)]
    [InlineData(2, CheckStatus.Pass, 0)]
    [InlineData(52, CheckStatus.Pass, 50)]
    [InlineData(255, CheckStatus.Pass, 253)]
    public async Task RunAsync_DynamicWeight_MapsExitCodeLikeMiscDynamic(int code, CheckStatus status, int? weight)
    {
        var result = await RunAsync(Shell("exit " + code) with { DynamicWeight = true });
        Assert.Equal((status, weight), (result.Status, result.Weight));
    }

    [Fact]
    public async Task RunAsync_CommandMissing_IsError()
    {
        var result = await RunAsync(new ExecCheckSpec { Command = "/nonexistent/check-tool" });
        Assert.Equal((CheckStatus.Error, "command not found: /nonexistent/check-tool"), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_HangingCommandWithChildren_KillsWholeGroupAtDeadline()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"ipvs-exec-{Guid.NewGuid():N}");
        // The command starts a background child and a grandchild that both would outlive it, then hangs.
        var script = $"(sleep 30; touch {marker}) & sleep 30 & echo started; sleep 30";
        var fds = FdCount.Open();
        var children = FdCount.Children();
        var result = await RunAsync(Shell(script, 300));
        Assert.Equal((CheckStatus.Fail, "timeout after 300 ms (command killed)"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
        Assert.Equal(children, FdCount.Children());
        Assert.InRange(await FdCount.SettlesAtAsync(fds, 0), 0, fds);
        // No process anywhere still carries the script (the child and grandchild were in the killed group).
        Assert.Equal(0, await FdCount.ProcessesWithAsync(marker));
    }

    [Fact]
    public async Task RunAsync_CommandLeavesBackgroundChild_ChildIsKilledAndNothingLeaks()
    {
        var fds = FdCount.Open();
        var children = FdCount.Children();
        for (var i = 0; i < 10; i++)
        {
            var result = await RunAsync(Shell("sleep 30 & exit 0"));
            Assert.True(result.Passed, result.Reason);
        }
        Assert.Equal(children, FdCount.Children());
        Assert.InRange(await FdCount.SettlesAtAsync(fds, 0), 0, fds);
    }

    [Fact]
    public async Task RunAsync_FloodOfOutput_IsCappedAndDoesNotBlock()
    {
        var result = await RunAsync(Shell("head -c 5000000 /dev/zero | tr '\\0' x; exit 4") with { MaxOutputBytes = 100 });
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("exit code 4: " + new string('x', 100), result.Reason);
        Assert.Equal(FailureKind.ExitCode, result.Kind);
    }

    [Fact]
    public async Task RunAsync_AsOtherUser_RunsWithThatUid()
    {
        var result = await RunAsync(Shell("[ \"$(id -u)\" = 65534 ]") with { User = "65534" });
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        var unknown = await RunAsync(Shell("true") with { User = "no-such-user-here" });
        Assert.Equal((CheckStatus.Error, "unknown user no-such-user-here"), (unknown.Status, unknown.Reason));
    }
}
