using System.Net;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Hosting;
using Ipvs.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Demo;

/// <summary>
/// A running demo: the simulated farm, the daemon over the kernel's table (if it has IPVS) or an in-memory one,
/// and the chaos that fails and recovers realservers. Built from a generated YAML config read by the same loader
/// as any config file.
/// </summary>
internal sealed class DemoSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _chaos;
    private readonly string _tokenDir;
    private IIpvsTable? _table;

    private DemoSession(DemoFarm farm, WebApplication app, Uri url, string table, DemoChaos? chaos, string tokenDir, string token)
    {
        _tokenDir = tokenDir;
        AdminToken = token;
        Farm = farm;
        App = app;
        Url = url;
        TableDescription = table;
        Chaos = chaos;
        _chaos = chaos?.RunAsync(_stop.Token) ?? Task.CompletedTask;
    }

    public DemoFarm Farm { get; }

    public WebApplication App { get; }

    /// <summary>The status page (and API root).</summary>
    public Uri Url { get; }

    /// <summary>"kernel IPVS (netlink)" or "in-memory table (...)".</summary>
    public string TableDescription { get; }

    public DemoChaos? Chaos { get; }

    /// <summary>A token made for this demo (so a newcomer can try drain/ready from the page or the CLI).</summary>
    public string AdminToken { get; }

    public static async Task<DemoSession> StartAsync(DemoOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var farm = await DemoFarm.StartAsync(options.Services, options.RealServers, options.FirstPort).ConfigureAwait(false);
        var tokenDir = Directory.CreateTempSubdirectory("ipvs-checkd-demo-").FullName;
        try
        {
            var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var tokenFile = Path.Combine(tokenDir, "token");
            await File.WriteAllTextAsync(tokenFile, token + "\n", ct).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var loaded = ConfigLoader.Load(farm.ConfigYaml(options.Listen), "demo.yaml");
            if (!loaded.Ok)
            {
                // The generator and the loader disagree: a bug, said plainly.
                throw new InvalidOperationException("demo config is invalid: " + string.Join("; ", loaded.Problems));
            }
            var kernel = KernelTable.TryOpen(out var why);
            IIpvsTable table = kernel ?? new InMemoryIpvsTable();
            var tableText = kernel is not null ? table.Description : $"{table.Description} ({why})";
            var app = await StartHostAsync(loaded.Config! with { AdminTokenFile = tokenFile }, table, options.Listen, logging, ct).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var url = new Uri(address.EndsWith('/') ? address : address + "/");
            var chaos = options.ChaosPeriod is { } period
                ? new DemoChaos(farm, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ipvs.Daemon.Demo"), period)
                : null;
            return new DemoSession(farm, app, url, tableText, chaos, tokenDir, token) { _table = table };
        }
        catch
        {
            await farm.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(tokenDir, recursive: true);
            throw;
        }
    }

    private static async Task<WebApplication> StartHostAsync(DaemonConfig config, IIpvsTable table, IPEndPoint listen, Action<ILoggingBuilder>? logging, CancellationToken ct)
    {
        var app = DaemonHost.Build(new DaemonHostOptions(config, DaemonMode.Demo, table, new InMemoryAdminStateStore(), listen) { Logging = logging });
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
            return app;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _chaos.ConfigureAwait(false);
        try
        {
            await App.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await App.DisposeAsync().ConfigureAwait(false);
            await Farm.DisposeAsync().ConfigureAwait(false);
            (_table as IDisposable)?.Dispose();
            Directory.Delete(_tokenDir, recursive: true);
            _stop.Dispose();
        }
    }
}
