namespace Ipvs.Checks;

/// <summary>
/// What one agent answer reported besides up/down: a weight percentage and a readiness word, either optional. The
/// default value reports nothing (what every other kind's result carries).
/// </summary>
/// <param name="HasPercent">The answer had a percentage.</param>
/// <param name="Percent">The percentage of the configured weight (<c>75%</c>).</param>
/// <param name="State">The readiness word (<c>ready</c>, <c>drain</c>, <c>maint</c>); None when it had none.</param>
public readonly record struct AgentReport(bool HasPercent, int Percent, AgentState State)
{
    public bool IsEmpty => !HasPercent && State == AgentState.None;
}
