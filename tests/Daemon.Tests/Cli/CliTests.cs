using Ipvs.Daemon.Cli;
using Ipvs.Daemon.Tests.Config;
using Xunit;

namespace Ipvs.Daemon.Tests.Cli;

public sealed class CliTests
{
    private static (int Exit, string Out, string Err) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliApp.Build().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("run", "--listen")]
    [InlineData("validate", "--config")]
    [InlineData("demo", "--duration")]
    [InlineData("status", "--json")]
    [InlineData("status", "--timeout")]
    [InlineData("status", "--problems")]
    [InlineData("status", "--service")]
    [InlineData("table", "--no-daemon")]
    [InlineData("table", "--url")]
    [InlineData("drain", "--host")]
    [InlineData("ready", "--host")]
    [InlineData("maintenance", "--host")]
    [InlineData("reload", "--token-file")]
    [InlineData("release-hold", "--all")]
    [InlineData("release-hold", "--token-file")]
    public void Help_EveryVerb_DescribesItsOptions(string verb, string option)
    {
        var (exit, output, _) = Invoke(verb, "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        Assert.Contains($" {verb} ", output);
        Assert.Contains(option, output);
    }

    [Fact]
    public void Help_Root_ListsEveryVerb()
    {
        var (exit, output, _) = Invoke("--help");

        Assert.Equal(0, exit);
        foreach (var verb in new[] { "run", "validate", "demo", "status", "drain", "ready", "maintenance", "release-hold", "reload" })
        {
            Assert.Contains("  " + verb, output);
        }
    }

    [Fact]
    public void Validate_GoodFile_ExitsZeroAndCounts()
    {
        var path = TempFile(ConfigText.IssueExample);
        try
        {
            var (exit, output, error) = Invoke("validate", "--config", path);

            Assert.Equal(0, exit);
            Assert.Equal($"{path}: ok (1 virtual services, 2 realservers)", output.Trim());
            Assert.Equal("", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_BadFile_ExitsOneWithEachProblem()
    {
        var path = TempFile("listen: nowhere\nvirtual_services:\n  - address: 10.0.0.1:80\n    colour: blue\n");
        try
        {
            var (exit, output, error) = Invoke("validate", "--config", path);

            Assert.Equal(1, exit);
            Assert.Equal("", output);
            var lines = error.Trim().Split('\n');
            Assert.Equal($"{path}:1:9: listen: 'nowhere' is not an IP address", lines[0]);
            Assert.Equal($"{path}:4:5: virtual_services[0].colour: unknown key", lines[1]);
            Assert.Equal($"{path}: 2 problems", lines[2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_MissingFile_ExitsOne()
    {
        var (exit, _, error) = Invoke("validate", "--config", "/nonexistent/ipvs-checkd.yaml");

        Assert.Equal(1, exit);
        Assert.Contains("/nonexistent/ipvs-checkd.yaml:1:1: (file): cannot read", error);
    }

    [Fact]
    public void Run_BadConfig_RefusesToStartWithEveryProblem()
    {
        var path = TempFile("virtual_services:\n  - address: 10.0.0.1:80\n    fwmark: 3\n");
        try
        {
            var (exit, _, error) = Invoke("run", "--config", path);

            Assert.Equal(1, exit);
            Assert.Contains($"{path}:3:13: virtual_services[0].fwmark: a virtual service has either an address:port or a fwmark", error);
            Assert.Contains("1 problem(s); not starting", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Demo_BadSize_IsAUsageError()
    {
        var (exit, _, error) = Invoke("demo", "--services", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("--services must be 1..1000", error);
    }

    [Theory]
    [InlineData]
    [InlineData("web", "--all")]
    public void ReleaseHold_NeitherOrBothOfVsAndAll_IsAUsageError(params string[] args)
    {
        var (exit, _, error) = Invoke(["release-hold", .. args]);

        Assert.NotEqual(0, exit);
        Assert.Contains("give either VS or --all", error);
    }

    [Fact]
    public void Drain_NeitherPairNorHost_IsAUsageError()
    {
        var (exit, _, error) = Invoke("drain", "web");

        Assert.NotEqual(0, exit);
        Assert.Contains("give either VS RS or --host ADDR", error);
    }

    [Fact]
    public void Status_NoDaemon_SaysSoAndExitsOne()
    {
        var (exit, _, error) = Invoke("status", "--url", "http://127.0.0.1:1/");

        Assert.Equal(1, exit);
        Assert.Contains("no daemon answers at http://127.0.0.1:1/", error);
    }

    [Fact]
    public void Status_DaemonNeverAnswers_TimesOutNamingTheAddress()
    {
        // A listener that never accepts: the kernel completes the handshake, nothing ever answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/";

        var (exit, _, error) = Invoke("status", "--url", url, "--timeout", "0.5");

        Assert.Equal(1, exit);
        Assert.Contains($"the daemon at {url} did not answer within 0.5 s", error);
    }

    [Fact]
    public void Status_TimeoutNotPositive_IsAnError()
    {
        var (exit, _, error) = Invoke("status", "--url", "http://127.0.0.1:1/", "--timeout", "0");

        Assert.Equal(1, exit);
        Assert.Contains("--timeout 0: give seconds between 0 and 3600", error);
    }

    [Fact]
    public void Table_NoDaemon_SaysWhyTheColumnsAreMissing()
    {
        var (exit, output, error) = Invoke("table", "--url", "http://127.0.0.1:1/");

        Assert.Contains("table: without health and admin columns: no daemon answers at http://127.0.0.1:1/", error);
        // The kernel table is printed (or why it cannot be read: no IPVS here, no CAP_NET_ADMIN) all the same.
        Assert.True(exit == 0 ? output.StartsWith("IP Virtual Server version", StringComparison.Ordinal) : error.Contains("IPVS", StringComparison.Ordinal), error);
    }

    [Fact]
    public void Table_NoDaemonOption_AsksNoDaemon()
    {
        var (_, _, error) = Invoke("table", "--no-daemon", "--url", "http://127.0.0.1:1/");

        Assert.DoesNotContain("daemon", error);
    }

    internal static string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-test-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
