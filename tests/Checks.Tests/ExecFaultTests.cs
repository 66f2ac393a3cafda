using System.Globalization;
using System.Net;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>
/// Exec checks that misbehave — flood their output and never exit, fork children that would outlive them — and the
/// user they run as. Counted before and after: descriptors of this process, its children, and any process still
/// carrying the run's marker.
/// </summary>
[Collection(nameof(NoLeakTests))]
public sealed class ExecFaultTests
{
    private static readonly CheckTarget Target = new(new IPEndPoint(IPAddress.Loopback, 8080));

    [Fact]
    public async Task RunAsync_FloodsOutputForeverWithForkedChildren_KilledAtDeadlineAndNothingLeaks()
    {
        var marker = $"ipvs-flood-{Guid.NewGuid():N}";
        var fds = FdCount.Open();
        var children = FdCount.Children();
        // Two children write as fast as they can, the command itself too, and none would ever exit.
        var spec = new ExecCheckSpec
        {
            Command = "/bin/sh",
            Arguments = ["-c", $"yes {marker} & yes {marker} >&2 & exec yes {marker}"],
            Timeout = TimeSpan.FromMilliseconds(500),
            MaxOutputBytes = 256,
        };

        using (var check = spec.Create(Target))
        {
            var result = await check.RunAsync(TestContext.Current.CancellationToken);
            Assert.Equal((CheckStatus.Fail, "timeout after 500 ms (command killed)"), (result.Status, result.Reason));
            Assert.Equal(FailureKind.Timeout, result.Kind);
            Assert.InRange(result.Latency, TimeSpan.Zero, spec.Timeout + LatencySlack.Bound);
        }

        Assert.Equal(0, await FdCount.ProcessesWithAsync(marker));
        Assert.Equal(children, FdCount.Children());
        Assert.InRange(await FdCount.SettlesAtAsync(fds, 0), 0, fds);
    }

    [Fact]
    public async Task RunAsync_UserNobody_RunsAsNobodyWhenTheDaemonMaySwitchUsersElseSaysWhyNot()
    {
        var spec = new ExecCheckSpec
        {
            Command = "/bin/sh",
            Arguments = ["-c", "[ \"$(id -un)\" = nobody ] && [ \"$(id -u)\" = \"$(id -u nobody)\" ] && [ \"$(id -G)\" = \"$(id -G nobody)\" ]"],
            User = "nobody",
            Timeout = TimeSpan.FromSeconds(5),
        };
        using var check = spec.Create(Target);
        var result = await check.RunAsync(TestContext.Current.CancellationToken);

        if (MaySwitchUsers())
        {
            // uid, name and the whole group list are nobody's: no root group left behind.
            Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        }
        else
        {
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.StartsWith("cannot run as user nobody: the daemon (uid ", result.Reason, StringComparison.Ordinal);
            Assert.Contains("lacks CAP_SETUID and CAP_SETGID", result.Reason, StringComparison.Ordinal);
        }
    }

    /// <summary>Read independently of the code under test: root, or CAP_SETUID (7) and CAP_SETGID (6) in CapEff.</summary>
    private static bool MaySwitchUsers()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var caps = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (caps & 0xC0) == 0xC0;
    }
}
