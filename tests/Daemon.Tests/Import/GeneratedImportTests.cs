using Xunit;

namespace Ipvs.Daemon.Tests.Import;

public sealed class GeneratedImportTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Keepalived_500VirtualServers_ImportsTheSameTableAndValidates()
    {
        var (text, expected) = GeneratedConfigs.Keepalived(500);
        var r = ImportRun.Of("keepalived", _files.Write("keepalived.conf", text));
        Assert.Equal(0, r.Exit);
        var v = r.Validation;
        Assert.True(v.Ok, string.Join("\n", v.Problems.Take(20)));
        Assert.Equal(500, v.Config!.Topology.VirtualServices.Count);
        Assert.Equal(2000, v.Config.Topology.VirtualServices.Sum(s => s.RealServers.Count));
        Assert.Equal(expected, GeneratedConfigs.Table(v.Config.Topology));
        // Each service's realservers share one check: it is written once, on the service.
        Assert.All(r.Services, s => Assert.NotNull(ImportRun.Map(s, "check")));
    }

    [Fact]
    public void Ldirectord_500VirtualServices_ImportsTheSameTableAndValidates()
    {
        var (text, expected) = GeneratedConfigs.Ldirectord(500);
        var r = ImportRun.Of("ldirectord", _files.Write("ldirectord.cf", text));
        Assert.Equal(0, r.Exit);
        var v = r.Validation;
        Assert.True(v.Ok, string.Join("\n", v.Problems.Take(20)));
        Assert.Equal(500, v.Config!.Topology.VirtualServices.Count);
        Assert.Equal(expected, GeneratedConfigs.Table(v.Config.Topology));
    }
}
