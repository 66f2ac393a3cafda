using Ipvs.Checks;
using Ipvs.Netlink;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>An agent's answers (HAProxy's agent-check words) through the engine to the weight in the table.</summary>
public class EngineAgentTests
{
    private static readonly ServiceConfig Svc = Service();

    private static CheckResult Agent(bool pass, int percent = -1, AgentState state = AgentState.None) =>
        new(pass ? CheckStatus.Pass : CheckStatus.Fail, pass ? null : "agent says down", TimeSpan.FromMilliseconds(1), null,
            new AgentReport(percent >= 0, Math.Max(percent, 0), state));

    [Fact]
    public async Task Percentage_ScalesTheConfiguredWeightOfEveryServiceSharingTheAgent()
    {
        await using var h = new EngineHarness();
        var other = Service(2);
        await h.StartAsync(Topo(null,
            VirtualService("web", Svc, RealServer(Rs(1), 20, Every(1, fall: 1))),
            VirtualService("tls", other, RealServer(Rs(1), 8, Every(1, fall: 1)))));
        h.Run(Second);
        Assert.Equal((20, 8), (h.Weight(Svc, Rs(1)), h.Weight(other, Rs(1))));

        h.Checks.SetResult(Rs(1), Agent(pass: true, percent: 75));
        h.Run(Second);
        Assert.Equal((15, 6), (h.Weight(Svc, Rs(1)), h.Weight(other, Rs(1))));

        // An answer without a percentage keeps the last one.
        h.Checks.SetResult(Rs(1), Agent(pass: true));
        h.Run(Second);
        Assert.Equal(15, h.Weight(Svc, Rs(1)));
        Assert.Contains(h.Events, e => e.Kind == EngineEventKind.WeightChanged && e.To == "15" && e.Why == "agent weight");
    }

    [Fact]
    public async Task DrainAndMaint_AgentsOwnState_OperatorsStateWins()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 1)))));
        h.Run(Second);

        h.Checks.SetResult(Rs(1), Agent(pass: true, state: AgentState.Drain));
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(AdminState.Ready, h.Row("web", Rs(1)).Admin); // the operator's state is not touched

        h.Checks.SetResult(Rs(1), Agent(pass: true, state: AgentState.Maint));
        h.Run(Second);
        Assert.Null(h.Weight(Svc, Rs(1)));

        h.Checks.SetResult(Rs(1), Agent(pass: true, state: AgentState.Ready));
        h.Run(Second);
        Assert.Equal(10, h.Weight(Svc, Rs(1)));

        // The operator's drain wins over an agent that says ready.
        h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(1)), AdminState.Drain, "alice");
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
    }

    [Fact]
    public async Task Down_TakesTheRealServerOut_AndUpBringsItBack()
    {
        await using var h = new EngineHarness();
        await h.StartAsync(Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, fall: 1)))));
        h.Run(Second);

        h.Checks.SetResult(Rs(1), Agent(pass: false, percent: 50));
        h.Run(Second);
        Assert.Equal(0, h.Weight(Svc, Rs(1)));

        h.Checks.SetResult(Rs(1), Agent(pass: true));
        h.Run(2 * Second);
        Assert.Equal(5, h.Weight(Svc, Rs(1))); // the percentage said with the down answer holds
    }
}
