using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests;

/// <summary>
/// Proves the harness hands the suite a real IPVS kernel: the proc file exists, ipvsadm can
/// build a table and read it back, every scheduler module is there, and a dummy interface can
/// carry test addresses. Each test starts and ends with an empty table.
/// </summary>
public sealed class HarnessTests : IDisposable
{
    private const string DummyLink = "ipvsh0";

    public HarnessTests() => Ipvsadm.Clear();

    public void Dispose()
    {
        Ipvsadm.Clear();
        ProcessRunner.Run("ip", ["link", "del", DummyLink]);
    }

    [Fact]
    public void ProcNetIpVs_InThisKernel_ExistsWithVersionHeader()
    {
        Assert.True(File.Exists("/proc/net/ip_vs"), "/proc/net/ip_vs is missing: this kernel has no IPVS");
        Assert.StartsWith("IP Virtual Server version", File.ReadAllText("/proc/net/ip_vs"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddServiceAndDestination_WithIpvsadm_ShowInSaveOutput()
    {
        Ipvsadm.RunChecked("-A", "-t", "10.99.0.1:80", "-s", "wlc");
        Ipvsadm.RunChecked("-a", "-t", "10.99.0.1:80", "-r", "127.0.0.2:8080", "-m", "-w", "3");

        var lines = Ipvsadm.SaveLines();

        Assert.Contains("-A -t 10.99.0.1:80 -s wlc", lines);
        Assert.Contains("-a -t 10.99.0.1:80 -r 127.0.0.2:8080 -m -w 3", lines);
    }

    [Fact]
    public void AddService_Ipv6WithRoundRobin_ShowsInSaveOutput()
    {
        Ipvsadm.RunChecked("-A", "-u", "[fd00:99::1]:53", "-s", "rr");

        Assert.Contains("-A -u [fd00:99::1]:53 -s rr", Ipvsadm.SaveLines());
    }

    [Fact]
    public void Restore_TableOnStandardInput_BuildsEveryRule()
    {
        const string table = """
            -A -t 10.99.0.5:80 -s rr
            -a -t 10.99.0.5:80 -r 127.0.0.3:80 -m -w 1
            -a -t 10.99.0.5:80 -r 127.0.0.4:80 -m -w 5
            """;

        Ipvsadm.Run(["-R"], table + "\n").EnsureSuccess();

        // Compared as sets: the order ipvsadm lists destinations in is the kernel's, not ours.
        Assert.Equal(table.Split('\n').Order(StringComparer.Ordinal), Ipvsadm.SaveLines().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Clear_AfterAddingServices_LeavesEmptyTable()
    {
        Ipvsadm.RunChecked("-A", "-t", "10.99.0.2:443", "-s", "rr");
        Ipvsadm.RunChecked("-A", "-f", "7", "-s", "lc");
        Assert.Equal(2, Ipvsadm.SaveLines().Count);

        Ipvsadm.Clear();

        Assert.Empty(Ipvsadm.SaveLines());
    }

    [Theory]
    [InlineData("rr")]
    [InlineData("wrr")]
    [InlineData("lc")]
    [InlineData("wlc")]
    [InlineData("sh")]
    [InlineData("mh")]
    [InlineData("sed")]
    [InlineData("nq")]
    [InlineData("dh")]
    [InlineData("fo")]
    [InlineData("ovf")]
    [InlineData("lblc")]
    [InlineData("lblcr")]
    public void AddService_WithEachScheduler_KernelAcceptsIt(string scheduler)
    {
        var result = Ipvsadm.Run("-A", "-t", "10.99.0.3:80", "-s", scheduler);

        Assert.True(result.ExitCode == 0, $"scheduler {scheduler} rejected: {result.Stderr.Trim()}");
        Assert.Contains($"-A -t 10.99.0.3:80 -s {scheduler}", Ipvsadm.SaveLines());
    }

    [Fact]
    public void AddDestination_OnDummyInterfaceAddress_ShowsInSaveOutput()
    {
        ProcessRunner.Run("ip", ["link", "add", DummyLink, "type", "dummy"]).EnsureSuccess();
        ProcessRunner.Run("ip", ["addr", "add", "10.98.0.1/24", "dev", DummyLink]).EnsureSuccess();
        ProcessRunner.Run("ip", ["link", "set", DummyLink, "up"]).EnsureSuccess();
        Ipvsadm.RunChecked("-A", "-t", "10.99.0.4:80", "-s", "wrr");

        Ipvsadm.RunChecked("-a", "-t", "10.99.0.4:80", "-r", "10.98.0.5:80", "-m", "-w", "2");

        Assert.Contains("-a -t 10.99.0.4:80 -r 10.98.0.5:80 -m -w 2", Ipvsadm.SaveLines());
    }
}
