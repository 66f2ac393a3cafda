using Ipvs.Daemon.Hosting;
using Xunit;

namespace Ipvs.Daemon.Tests.Hosting;

public sealed class CapabilitiesTests
{
    [Fact]
    public void Effective_StatusFile_ReadsCapEff()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "Name:\tx\nCapInh:\t0000000000000000\nCapPrm:\t0000000000003000\nCapEff:\t0000000000001000\n");

            var eff = Capabilities.Effective(path);

            Assert.Equal(0x1000UL, eff);
            Assert.True(Capabilities.Has(eff!.Value, Capabilities.NetAdmin));
            Assert.False(Capabilities.Has(eff.Value, Capabilities.NetRaw));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_NoNetAdmin_NamesIt()
    {
        var problems = Capabilities.Missing(0, needsRaw: true);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("missing CAP_NET_ADMIN", problems[0]);
        Assert.StartsWith("missing CAP_NET_RAW", problems[1]);
        Assert.Empty(Capabilities.Missing((1UL << 12) | (1UL << 13), needsRaw: true));
        Assert.Empty(Capabilities.Missing(1UL << 12, needsRaw: false));
    }
}
