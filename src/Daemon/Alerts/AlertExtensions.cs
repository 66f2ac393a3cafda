using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ipvs.Daemon.Alerts;

/// <summary>The daemon calls <c>services.AddAlerts(options)</c>; with no hook configured it adds nothing but the counters.</summary>
public static class AlertExtensions
{
    public static IServiceCollection AddAlerts(this IServiceCollection services, AlertOptions options)
    {
        services.AddAlertsCore(options);
        if (options.Enabled)
        {
            services.AddSingleton<AlertEngineFeed>();
            services.AddHostedService(sp => sp.GetRequiredService<AlertEngineFeed>());
        }
        return services;
    }

    /// <summary>The alert pipeline without the engine subscription: transitions come through <see cref="AlertService.Post"/>.</summary>
    internal static IServiceCollection AddAlertsCore(this IServiceCollection services, AlertOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertCounters>();
        if (!options.Enabled)
        {
            return services;
        }
        services.AddSingleton(options);
        foreach (var command in options.Commands)
        {
            services.AddSingleton<IAlertHook>(new CommandHook(command));
        }
        if (options.Webhooks.Count > 0)
        {
            // A plain client, not the factory's: its logging handlers would write webhook URLs to the log, and a
            // webhook URL is often the secret itself (chat services put the token in the path).
            var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each call has its own deadline
            };
            foreach (var webhook in options.Webhooks)
            {
                services.AddSingleton<IAlertHook>(new WebhookHook(webhook, client));
            }
        }
        services.AddSingleton<AlertService>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        return services;
    }
}
