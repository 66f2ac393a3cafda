namespace Ipvs.Checks;

/// <summary>What an agent said of its realserver's readiness (HAProxy's agent words); separate from the operator's admin state.</summary>
public enum AgentState : byte
{
    /// <summary>The agent said nothing of it (so far).</summary>
    None = 0,
    /// <summary><c>ready</c>: back in service (ends the agent's drain or maint).</summary>
    Ready = 1,
    /// <summary><c>drain</c>: weight 0, sessions finish.</summary>
    Drain = 2,
    /// <summary><c>maint</c>: out of the table, as the operator's maintenance.</summary>
    Maint = 3,
}
