using System.Net;
using Ipvs.Checks.Io;
using Ipvs.Checks.Probes;
using Ipvs.Testing;

namespace Ipvs.Checks.Tests;

/// <summary>
/// An exec check's command under the shipped unit's credentials (CAP_NET_ADMIN and CAP_NET_RAW ambient): it gets no
/// capability and none of the daemon's environment besides PATH, LANG and its documented variables (issue 16, item 3).
/// </summary>
[Collection(nameof(NoLeakTests))]
public sealed class ExecChildPrivilegeTests
{
    private static readonly CheckTarget Target = new(
        new IPEndPoint(IPAddress.Parse("127.0.0.5"), 8080), new IPEndPoint(IPAddress.Parse("127.0.0.6"), 80), "web");

    // Writes its capability sets and its environment to the files named by its arguments.
    private const string Script = "cat /proc/self/status > \"$0\"; env > \"$1\"";

    private static ExecCheckSpec Spec(string dir) => new()
    {
        Command = "/bin/sh",
        Arguments = ["-c", Script, Path.Combine(dir, "status"), Path.Combine(dir, "env")],
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public void Command_UnderAmbientCapabilities_GetsNoCapabilitiesAndAMinimalEnvironment()
    {
        var dir = Directory.CreateTempSubdirectory("ipvs-exec-caps-").FullName;
        try
        {
            Environment.SetEnvironmentVariable("IPVS_TEST_DAEMON_SECRET", "do-not-pass");
            var spec = Spec(dir);

            var result = UnitCapabilities.Run(() =>
            {
                // The loop's thread is made here, so it carries this thread's capabilities, as every daemon thread would.
                using var loop = new EpollLoop("unit-caps");
                using var check = new ExecCheck(spec, Target, loop);
                return check.RunAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            });

            Assert.Equal(CheckStatus.Pass, result.Status);
            var caps = UnitCapabilities.Parse(File.ReadAllText(Path.Combine(dir, "status")));
            foreach (var set in (string[])["CapInh", "CapPrm", "CapEff", "CapAmb"])
            {
                Assert.True(caps[set] == 0, $"{set} of the command is {caps[set]:x16}");
            }
            var expected = new[] { "IPVS_CHECK_ADDRESS", "IPVS_CHECK_PORT", "IPVS_REALSERVER_ADDRESS", "IPVS_REALSERVER_PORT", "IPVS_VIRTUAL_SERVICE", "LANG", "PATH" };
            Assert.Equal(expected, Names(dir).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Command_ChildEnvironment_IsAddedAndNothingElse()
    {
        var dir = Directory.CreateTempSubdirectory("ipvs-exec-env-").FullName;
        try
        {
            using var check = (Spec(dir) with { Environment = ["HTTPS_PROXY=http://127.0.0.1:3128"] }).Create(Target);

            Assert.Equal(CheckStatus.Pass, (await check.RunAsync(TestContext.Current.CancellationToken)).Status);

            Assert.Contains("HTTPS_PROXY=http://127.0.0.1:3128", await File.ReadAllLinesAsync(Path.Combine(dir, "env"), TestContext.Current.CancellationToken));
            Assert.DoesNotContain("HOME", Names(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IEnumerable<string> Names(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "env")).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).Except(ShellOwn);

    // Variables the shell sets for itself.
    private static readonly string[] ShellOwn = ["PWD", "OLDPWD", "SHLVL", "_"];
}
