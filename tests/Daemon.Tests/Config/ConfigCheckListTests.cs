using System.Net;
using Ipvs.Checks;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary><c>checks:</c> (a list) and its merge rule defaults → service → realserver, and the problems it can have.</summary>
public sealed class ConfigCheckListTests
{
    [Fact]
    public void Load_ServiceChecksList_EveryRealServerGetsEachCheckWithSharedKeysFromDefaults()
    {
        var result = ConfigText.Load("""
            defaults:
              check: { interval: 5s, rise: 3 }
            virtual_services:
              - address: 10.0.0.1:80
                checks:
                  - { type: http, path: /health }
                  - { type: http, path: /ready, fall: 4 }
                  - { type: exec, command: /bin/true }
                realservers:
                  - { address: 10.0.1.1:80 }
                  - { address: 10.0.1.2:80, check: { port: 8080 } }
            """);

        Assert.Empty(result.Problems);
        var vs = Assert.Single(result.Config!.Topology.VirtualServices);
        var rs1 = vs.RealServers[0];
        Assert.Equal(3, rs1.Checks.Count);
        Assert.Equal("/health", Assert.IsType<HttpCheckSpec>(rs1.Checks[0].Spec).Path);
        Assert.Equal("/ready", Assert.IsType<HttpCheckSpec>(rs1.Checks[1].Spec).Path);
        Assert.IsType<ExecCheckSpec>(rs1.Checks[2].Spec);
        Assert.All(rs1.Checks, c => Assert.Equal(TimeSpan.FromSeconds(5), c.Schedule.Interval));
        Assert.All(rs1.Checks, c => Assert.Equal(3, c.Schedule.Rise));
        Assert.Equal([2, 4, 2], rs1.Checks.Select(c => c.Schedule.Fall));
        // A realserver's check below a list is laid over each check of the list.
        var rs2 = vs.RealServers[1];
        Assert.Equal(3, rs2.Checks.Count);
        Assert.All(rs2.Checks, c => Assert.Equal(8080, c.Target.EndPoint.Port));
        Assert.Equal("/ready", Assert.IsType<HttpCheckSpec>(rs2.Checks[1].Spec).Path);
    }

    [Fact]
    public void Load_RealServerChecksList_ReplacesTheServiceCheckAndKeepsItsSharedKeys()
    {
        var result = ConfigText.Load("""
            virtual_services:
              - address: 10.0.0.1:80
                check: { type: http, path: /health, interval: 3s, address: 10.0.2.1 }
                realservers:
                  - { address: 10.0.1.1:80 }
                  - address: 10.0.1.2:80
                    checks: [ { type: tcp }, { type: http, path: /ready } ]
            """);

        Assert.Empty(result.Problems);
        var vs = Assert.Single(result.Config!.Topology.VirtualServices);
        Assert.Equal("/health", Assert.IsType<HttpCheckSpec>(Assert.Single(vs.RealServers[0].Checks).Spec).Path);
        var checks = vs.RealServers[1].Checks;
        Assert.Equal(2, checks.Count);
        Assert.IsType<TcpCheckSpec>(checks[0].Spec);
        Assert.Equal("/ready", Assert.IsType<HttpCheckSpec>(checks[1].Spec).Path);
        Assert.All(checks, c => Assert.Equal(TimeSpan.FromSeconds(3), c.Schedule.Interval));
        Assert.All(checks, c => Assert.Equal(IPAddress.Parse("10.0.2.1"), c.Target.EndPoint.Address));
    }

    [Fact]
    public void Load_CheckAndChecksOnOneLevel_ReportsTheChecksKey()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                check: { type: tcp }
                checks: [ { type: http } ]
                realservers: [ { address: 10.0.1.1:80 } ]
            """);

        Assert.Equal(["t.yaml:4:5: virtual_services[0].checks: write either check (one check) or checks (a list of checks), not both"], problems);
    }

    [Fact]
    public void Load_EmptyChecksList_IsAProblem()
    {
        var problems = ConfigText.Problems("""
            defaults:
              checks: []
            """);

        Assert.Equal(["t.yaml:2:11: defaults.checks: checks is an empty list: write at least one check, or leave checks out to inherit the checks above"], problems);
    }

    [Fact]
    public void Load_DuplicateChecks_ReportsTheSecondWithTheFirstsPlace()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - address: 10.0.1.1:80
                    checks:
                      - { type: http, path: /health }
                      - { type: http, path: /health, interval: 5s }
            """);

        Assert.Equal(["t.yaml:7:13: virtual_services[0].realservers[0].checks[1]: duplicate check: the same http check to the same target as virtual_services[0].realservers[0].checks[0] (line 6)"], problems);
    }

    [Fact]
    public void Load_TypeBelowAList_IsAProblem()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                checks: [ { type: tcp }, { type: http } ]
                realservers:
                  - { address: 10.0.1.1:80, check: { type: icmp } }
            """);

        Assert.Equal(["t.yaml:5:48: virtual_services[0].realservers[0].check.type: below a list of checks, check is laid over each of them and cannot change their type: write checks to replace the list"], problems);
    }

    [Fact]
    public void Load_ProblemInAListItem_IsReportedWhereTheItemWroteIt()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                checks:
                  - { type: tcp }
                  - { type: http, path: health }
                  - not-a-mapping
                realservers: [ { address: 10.0.1.1:80 } ]
            """);

        Assert.Equal(
        [
            "t.yaml:5:29: virtual_services[0].checks[1].path: 'health' must start with '/'",
            "t.yaml:6:9: virtual_services[0].checks[2]: expected a mapping (key: value)",
        ], problems);
    }

    [Fact]
    public void Load_AgentBesideAnHttpCheck_MapsBoth()
    {
        var result = ConfigText.Load("""
            virtual_services:
              - address: 10.0.0.1:80
                checks:
                  - { type: http, path: /health }
                  - { type: agent, port: 7000, send: "web", down_when_unreachable: true }
                realservers: [ { address: 10.0.1.1:80 } ]
            """);

        Assert.Empty(result.Problems);
        var checks = result.Config!.Topology.VirtualServices[0].RealServers[0].Checks;
        var agent = Assert.IsType<AgentCheckSpec>(checks[1].Spec);
        Assert.Equal(("web", true, 7000), (agent.Send, agent.DownWhenUnreachable, checks[1].Target.EndPoint.Port));
        Assert.Equal(80, checks[0].Target.EndPoint.Port);
    }

    [Fact]
    public void Load_AgentSendWithANewline_IsAProblem()
    {
        var problems = ConfigText.Problems("""
            defaults:
              check: { type: agent, port: 7000, send: "a\nb" }
            """);

        Assert.Equal(["t.yaml:2:43: defaults.check.send: send is one line of ASCII, at most 512 characters (the newline is added)"], problems);
    }
}
