using Ipvs.Daemon.Alerts;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// Builds the daemon: one Kestrel listener for the web side, the engine as a container singleton started by a
/// hosted service, reload (SIGHUP and API), systemd readiness and watchdog. <c>run</c> and <c>demo</c> both use it.
/// </summary>
/// <remarks>
/// The seam with the web side: the host registers <see cref="DaemonState"/> (current config and mode) and the
/// <see cref="HealthEngine"/> singleton, whose probes come from the <see cref="IHealthCheckFactory"/> the web side
/// registers (metered, so check results reach /metrics; it needs only the metrics registry, so there is no cycle);
/// <c>AddIpvsWeb</c> adds the status and admin adapters over the engine, reload through
/// <see cref="WebOptions.Reload"/>, and <c>MapIpvsWeb</c> maps /metrics, /api/v1/* and the status page.
/// </remarks>
internal static class DaemonHost
{
    /// <exception cref="DescriptorBudgetException">The descriptor limit cannot hold the checks and the listener.</exception>
    public static WebApplication Build(DaemonHostOptions options)
    {
        DescriptorBudget.Check(options.Config.Topology);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "ipvs-checkd",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Host.UseSystemd();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Listen, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (!Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
        {
            // Under systemd, UseSystemd's journald format (priority prefixes, no timestamps) is kept.
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        options.Logging?.Invoke(builder.Logging);

        var services = builder.Services;
        var state = new DaemonState(options.Config, options.Mode);
        services.AddSingleton(state);
        services.AddSingleton(options.Table);
        services.AddSingleton(options.AdminStore);
        // The probe executor: one epoll loop per CPU the process may use (or engine.loops), for the process's life.
        services.AddSingleton(_ => new Checks.ProbeLoops(options.Config.ProbeLoops > 0 ? options.Config.ProbeLoops : Checks.ProbeLoops.DefaultCount()));
        services.AddSingleton(sp =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            // The store is made before logging exists; without this a damaged state file would be reported to nobody.
            (options.AdminStore as FileAdminStateStore)?.UseLogger(loggers.CreateLogger("Ipvs.Engine.AdminState"));
            return new HealthEngine(options.Table, options.AdminStore, sp.GetRequiredService<IHealthCheckFactory>(), TimeProvider.System, loggers, sp.GetRequiredService<Checks.ProbeLoops>());
        });
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService<EngineHostedService>();
        services.AddHostedService<SighupReload>();
        if (Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService() && SystemdWatchdog.Interval() is not null)
        {
            services.AddHostedService<SystemdWatchdog>();
        }
        // The reloader is resolved lazily: the web options are built before the container is.
        IServiceProvider? provider = null;
        services.AddIpvsWeb(new WebOptions
        {
            AdminTokenFile = options.Config.AdminTokenFile,
            RealserverHistograms = options.Config.Metrics?.RealserverHistograms ?? false,
            RealserverDetails = options.Config.Metrics?.RealserverDetails ?? false,
            AllowedHosts = options.Config.AllowedHosts,
            Reload = async ct =>
            {
                var outcome = await provider!.GetRequiredService<ConfigReloader>().ReloadAsync(ct).ConfigureAwait(false);
                return outcome.Applied
                    ? new AdminResult(1)
                    : AdminResult.Failed(outcome.Problems.Count == 0 ? outcome.Summary : outcome.Summary + "\n" + string.Join("\n", outcome.Problems));
            },
        });

        var alerts = options.Config.Alerts;
        services.AddAlerts(new AlertOptions
        {
            Commands = [.. alerts.Commands.Select(c => new AlertCommandOptions(c.Command, c.Arguments, c.Timeout) { Environment = options.Config.ChildEnvironment })],
            Webhooks = [.. alerts.Webhooks.Select(w => new AlertWebhookOptions(w.Url, w.Headers, w.Timeout))],
            Hold = alerts.Hold,
            ResendInterval = alerts.Resend,
            MaxAlerts = alerts.MaxCount,
            Recovery = alerts.Recovery,
        });

        var app = builder.Build();
        provider = app.Services;
        app.MapIpvsWeb();
        return app;
    }
}
