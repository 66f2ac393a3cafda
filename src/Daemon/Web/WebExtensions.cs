using Ipvs.Daemon.Web.Adapters;
using Ipvs.Daemon.Web.Guard;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Daemon.Web.Metrics;
using Ipvs.Daemon.Web.Page;
using Ipvs.Daemon.Web.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using E = Ipvs.Engine;

namespace Ipvs.Daemon.Web;

/// <summary>
/// The seam the daemon's host calls: <c>services.AddIpvsWeb(options)</c> while building, then
/// <c>app.MapIpvsWeb()</c>. The host registers the <see cref="E.HealthEngine"/> singleton and builds it with the
/// <see cref="E.IHealthCheckFactory"/> from the container (the metered one registered here), so check results
/// reach <c>/metrics</c>. Dependencies run one way: registry ← metered factory ← engine ← status source ← metrics.
/// </summary>
public static class WebExtensions
{
    public static IServiceCollection AddIpvsWeb(this IServiceCollection services, WebOptions options)
    {
        services.AddIpvsWebCore(options);
        services.TryAddSingleton(sp => new MeteredCheckFactory(E.HealthCheckFactory.Instance, sp.GetRequiredService<MetricsRegistry>(), options.RealserverHistograms));
        services.TryAddSingleton<E.IHealthCheckFactory>(sp => sp.GetRequiredService<MeteredCheckFactory>());
        services.TryAddSingleton<TransitionCounter>();
        services.TryAddSingleton<IStatusSource>(sp => new EngineStatusSource(
            sp.GetRequiredService<E.HealthEngine>(), sp.GetRequiredService<TransitionCounter>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<MeteredCheckFactory>()));
        services.TryAddSingleton<IAdminActions, EngineAdminActions>();
        services.TryAddSingleton<EngineEventFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineEventFeed>());
        return services;
    }

    /// <summary>The web side without the engine adapters: the caller registers its own status source and admin actions.</summary>
    internal static IServiceCollection AddIpvsWebCore(this IServiceCollection services, WebOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => AdminToken.FromFile(options.AdminTokenFile));
        services.AddSingleton(_ => new TransitionLog(options.RecentTransitions));
        services.TryAddSingleton<MetricsRegistry>();
        services.AddSingleton<IpvsMetrics>();
        services.AddSingleton<MetricsExposition>();
        services.AddRouting();
        services.AddSingleton(_ => new HostCheck(options.AllowedHosts));
        services.Configure<KestrelServerOptions>(WebLimits.Apply);
        // Its work runs once every hosted service (engine, listener) has started, before the start is announced.
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
        return services;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/api/v1/*</c> and the status page; warns about plain HTTP off loopback.</summary>
    public static WebApplication MapIpvsWeb(this WebApplication app)
    {
        // Before any endpoint runs: a foreign Host is refused, a literal that matched only without case is no route,
        // and a connection's requests are counted. These work on whatever endpoint matched, so routes added later get them.
        var hostCheck = app.Services.GetRequiredService<HostCheck>();
        app.Use(hostCheck.Invoke);
        app.Use(StrictRouteMatch.Invoke);
        app.Use(WebLimits.CountRequests);
        MetricsEndpoint.Map(app);
        StatusEndpoints.Map(app);
        AdminEndpoints.Map(app);
        StatusPage.Map(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ipvs.Daemon.Web");
        var token = app.Services.GetRequiredService<AdminToken>();
        if (token.Problem is { } problem)
        {
            WebLog.AdminApiDisabled(logger, problem);
        }
        var options = app.Services.GetRequiredService<WebOptions>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (var address in addresses ?? [])
            {
                if (ListenCheck.IsPlainHttpOffLoopback(address, options.Tls))
                {
                    WebLog.PlainHttpOffLoopback(logger, address);
                }
            }
        });
        return app;
    }
}
