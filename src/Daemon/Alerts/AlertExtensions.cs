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
        if (options.Command is { Count: > 0 } command)
        {
            services.AddSingleton<IAlertHook>(new CommandHook(command));
        }
        if (options.Webhook is { } url)
        {
            services.AddHttpClient("ipvs-checkd-alerts");
            services.AddSingleton<IAlertHook>(sp => new WebhookHook(url,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient("ipvs-checkd-alerts")));
        }
        services.AddSingleton<AlertService>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        return services;
    }
}
