using System.Net;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Daemon.Web.Status;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Web.Adapters;

/// <summary>Admin API actions carried out by the engine; reload by the delegate the daemon gives in <see cref="WebOptions.Reload"/>.</summary>
public sealed class EngineAdminActions(E.HealthEngine engine, WebOptions options) : IAdminActions
{
    public AdminResult SetAdminState(string virtualService, IPEndPoint realserver, AdminState state, string who) =>
        Result(engine.SetAdminState(virtualService, E.RealServerSelector.EndPoint(realserver), ToEngine(state), who),
            $"no realserver {realserver} in virtual service '{virtualService}'");

    public AdminResult SetHostAdminState(IPAddress host, AdminState state, string who) =>
        Result(engine.SetAdminState(null, E.RealServerSelector.Host(host), ToEngine(state), who), $"no realserver on host {host}");

    public AdminResult SetWeightOverride(string virtualService, IPEndPoint realserver, int? weight, string who) =>
        Result(engine.SetWeightOverride(virtualService, E.RealServerSelector.EndPoint(realserver), weight, who),
            $"no realserver {realserver} in virtual service '{virtualService}'");

    public AdminResult ReleaseMassFailureHold(string? virtualService, string who)
    {
        var released = engine.ReleaseMassFailureHold(virtualService, who);
        if (released > 0)
        {
            return new AdminResult(released);
        }
        if (virtualService is not null && !engine.Snapshot().VirtualServices.Any(v => v.Name == virtualService))
        {
            return AdminResult.Missing($"no virtual service '{virtualService}'");
        }
        return AdminResult.Failed(virtualService is null ? "no mass-failure hold in force" : $"virtual service '{virtualService}' has no mass-failure hold in force");
    }

    public Task<AdminResult> ReloadAsync(CancellationToken cancellationToken) =>
        options.Reload is { } reload ? reload(cancellationToken) : Task.FromResult(AdminResult.Failed("reload is not available in this mode"));

    internal static AdminState ToWeb(E.AdminState state) => state switch
    {
        E.AdminState.Drain => AdminState.Drain,
        E.AdminState.Maintenance => AdminState.Maintenance,
        _ => AdminState.Ready,
    };

    private static E.AdminState ToEngine(AdminState state) => state switch
    {
        AdminState.Drain => E.AdminState.Drain,
        AdminState.Maintenance => E.AdminState.Maintenance,
        _ => E.AdminState.Ready,
    };

    private static AdminResult Result(IReadOnlyList<E.AdminChange> changes, string missing)
    {
        if (changes.Count == 0)
        {
            return AdminResult.Missing(missing);
        }
        foreach (var change in changes)
        {
            if (change.NotSaved is { } why)
            {
                return AdminResult.Unsaved(changes.Count, why);
            }
        }
        return new AdminResult(changes.Count);
    }
}
