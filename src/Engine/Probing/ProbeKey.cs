using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// What makes two realserver checks the same probe: the same spec (value equality), the same probed address,
/// source and mark, and the same schedule. The virtual service is not part of it — that is what lets one probe
/// serve every service sharing a backend — except for exec checks, whose command sees the service.
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
        var context = check.Spec.Kind is "exec" or "external" or "misc"
            ? t.VirtualService + "|" + t.RealServer
            : null;
        return new ProbeKey(check.Spec, t.EndPoint, t.SourceAddress, t.FirewallMark, check.Schedule, context);
    }
}
