using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// What makes two realserver checks the same probe: the same spec (value equality), the same probed address,
/// source and mark, and the same schedule. The virtual service is not part of it — that is what lets one probe
/// serve every service sharing a backend — unless the spec says its runs depend on the service
/// (<see cref="CheckSpec.SharedAcrossServices"/>: exec, whose command sees it).
/// </summary>
internal readonly record struct ProbeKey(
    CheckSpec Spec,
    IPEndPoint EndPoint,
    IPAddress? Source,
    uint FirewallMark,
    CheckSchedule Schedule,
    string? Context)
{
    public static ProbeKey For(RealServerCheck check)
    {
        var t = check.Target;
        var context = check.Spec.SharedAcrossServices ? null : t.VirtualService + "|" + t.RealServer;
        return new ProbeKey(check.Spec, t.EndPoint, t.SourceAddress, t.FirewallMark, check.Schedule, context);
    }
}
