using Microsoft.AspNetCore.Http;

namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// The server-side filters of <c>GET /api/v1/status</c>: <c>?problems=1</c> keeps only realservers that need a
/// look, and the virtual services that have one; <c>?service=NAME</c> keeps one virtual service.
/// </summary>
internal sealed record StatusFilter(bool ProblemsOnly, string? Service)
{
    public static StatusFilter? From(IQueryCollection query, out string? error)
    {
        error = null;
        var problems = query["problems"].ToString();
        if (problems is not ("" or "0" or "1" or "true" or "false"))
        {
            error = $"problems='{problems}': write problems=1 or leave it out";
            return null;
        }
        var service = query["service"];
        if (service.Count > 1)
        {
            error = "service: give one name";
            return null;
        }
        return new StatusFilter(problems is "1" or "true", service.Count == 1 ? service[0] : null);
    }

    /// <summary>A realserver that is not plainly fine: not up, not ready, flap-damped, or in a service below quorum.</summary>
    public static bool IsProblem(VirtualServiceStatus vs, RealServerStatus rs) =>
        !vs.QuorumUp || rs.Health != HealthState.Up || rs.Admin.State != AdminState.Ready || rs.FlapDamping is not null;

    public IReadOnlyList<VirtualServiceStatus> Apply(IReadOnlyList<VirtualServiceStatus> services, out StatusSummary summary)
    {
        var kept = new List<VirtualServiceStatus>(ProblemsOnly || Service is not null ? 16 : services.Count);
        int realservers = 0, up = 0, problems = 0;
        foreach (var vs in services)
        {
            List<RealServerStatus>? problemRows = null;
            foreach (var rs in vs.Realservers)
            {
                realservers++;
                if (rs.Health is HealthState.Up or HealthState.Falling)
                {
                    up++;
                }
                if (IsProblem(vs, rs))
                {
                    problems++;
                    (problemRows ??= []).Add(rs);
                }
            }
            if (Service is not null && !string.Equals(vs.Name, Service, StringComparison.Ordinal))
            {
                continue;
            }
            if (!ProblemsOnly)
            {
                kept.Add(vs);
            }
            else if (problemRows is not null)
            {
                kept.Add(vs.WithOnly(problemRows));
            }
        }
        summary = new StatusSummary(services.Count, realservers, up, problems);
        return kept;
    }
}
