using Ipvs.Engine;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>flap_damping: inherited like slow_start, defaults for left-out keys, off to turn it off, bad values named.</summary>
public sealed class ConfigFlapDampingTests
{
    [Fact]
    public void Load_FlapDamping_InheritsDownwardAndCanBeTurnedOff()
    {
        var result = ConfigText.Load("""
            defaults:
              flap_damping: { failures: 4, window: 2m, hold: 5m }
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - { address: 10.0.1.1:80 }
                  - { address: 10.0.1.2:80, flap_damping: off }
              - address: 10.0.0.2:80
                flap_damping: { hold: 30s }
                realservers:
                  - { address: 10.0.1.1:80 }
            """);

        Assert.Empty(result.Problems);
        var services = result.Config!.Topology.VirtualServices;
        Assert.Equal(new FlapDamping(4, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)), services[0].RealServers[0].FlapDamping);
        Assert.Null(services[0].RealServers[1].FlapDamping);
        // A level that writes flap_damping states it whole: keys it leaves out take the documented defaults.
        Assert.Equal(new FlapDamping(3, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)), services[1].RealServers[0].FlapDamping);
    }

    [Fact]
    public void Load_NoFlapDamping_IsOff()
    {
        var result = ConfigText.Load("""
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - { address: 10.0.1.1:80 }
            """);

        Assert.Empty(result.Problems);
        Assert.Null(result.Config!.Topology.VirtualServices[0].RealServers[0].FlapDamping);
    }

    [Fact]
    public void Load_BadFlapDamping_ReportsEachWithPlace()
    {
        var problems = ConfigText.Problems("""
            defaults:
              flap_damping: { failures: 0, window: soon, hold: 2m, holdd: 1m }
            """);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("t.yaml:2:", StringComparison.Ordinal) && p.Contains("defaults.flap_damping.failures", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("defaults.flap_damping.window", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("defaults.flap_damping.holdd: unknown key (did you mean 'hold'?)", StringComparison.Ordinal));
    }
}
