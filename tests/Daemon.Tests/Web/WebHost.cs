using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Daemon.Web.Status;
using Ipvs.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>The web side on a real Kestrel listener on a random loopback port, as the daemon wires it.</summary>
internal sealed class WebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebHost(WebApplication app, Uri baseAddress, CapturingLoggerProvider logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<WebHost> StartAsync(IStatusSource source, IAdminActions admin, WebOptions options) =>
        StartAsync(options, services =>
        {
            services.AddIpvsWebCore(options);
            services.AddSingleton(source);
            services.AddSingleton(admin);
        });

    /// <summary>
    /// The web side over a real engine, wired as the daemon wires it: <paramref name="engine"/> gets the metered check
    /// factory, so check results reach /metrics. The engine is not started.
    /// </summary>
    public static Task<WebHost> StartWithEngineAsync(Func<IHealthCheckFactory, HealthEngine> engine, WebOptions options, Action<IServiceCollection>? more = null) =>
        StartAsync(options, services =>
        {
            services.AddIpvsWeb(options);
            services.AddSingleton(sp => engine(sp.GetRequiredService<IHealthCheckFactory>()));
            more?.Invoke(services);
        });

    private static async Task<WebHost> StartAsync(WebOptions options, Action<IServiceCollection> register)
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        register(builder.Services);
        var app = builder.Build();
        app.MapIpvsWeb();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebHost(app, new Uri(address), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
