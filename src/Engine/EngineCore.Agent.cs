using Ipvs.Checks;

namespace Ipvs.Engine;

internal sealed partial class EngineCore
{
    /// <summary>
    /// An agent check's answer (weight percentage, ready/drain/maint) goes to every realserver the probe serves, each
    /// scaling its own configured weight; a down answer carries one too. Nothing for other kinds.
    /// </summary>
    private void ApplyAgentReport(ProbeRunner runner, in CheckResult result)
    {
        if (result.Agent.IsEmpty)
        {
            return;
        }
        var subscribers = runner.Subscribers;
        for (var i = 0; i < subscribers.Count; i++)
        {
            var rs = subscribers[i];
            if (rs.Agent.Apply(result.Agent))
            {
                MarkDirty(rs.Service);
            }
        }
    }
}
