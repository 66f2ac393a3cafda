using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// What a realserver's agent check reported last (HAProxy's agent-check): a percentage of the configured weight and a
/// readiness state that the realserver owns. It feeds the weight planner through two questions only — the admin state
/// in force (the operator's wins; the agent's counts while the operator's is ready) and the weight before slow start —
/// and is kept apart from the operator's admin state, which is persisted and this is not.
/// </summary>
internal struct AgentInput
{
    /// <summary>Percentage of the configured weight, or -1 when no agent said one.</summary>
    public int Percent;

    public AgentState State;

    public static AgentInput None => new() { Percent = -1 };

    /// <summary>Folds one answer in: what it said replaces what was said before; what it left out stays.</summary>
    public bool Apply(in AgentReport report)
    {
        var before = this;
        if (report.HasPercent)
        {
            Percent = report.Percent;
        }
        if (report.State != AgentState.None)
        {
            State = report.State == AgentState.Ready ? AgentState.None : report.State;
        }
        return before.Percent != Percent || before.State != State;
    }

    /// <summary>The admin state in force: the operator's when set, else the agent's drain or maint.</summary>
    public readonly AdminState Effective(AdminState operatorState) => operatorState != AdminState.Ready ? operatorState : State switch
    {
        AgentState.Drain => AdminState.Drain,
        AgentState.Maint => AdminState.Maintenance,
        _ => AdminState.Ready,
    };

    /// <summary>The configured weight scaled by the agent's percentage (at most the kernel's 65535).</summary>
    public readonly int Scale(int configured) =>
        Percent < 0 ? configured : (int)Math.Min(65535, (long)configured * Percent / 100);
}
