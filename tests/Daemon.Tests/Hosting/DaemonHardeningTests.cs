using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Hosting;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ipvs.Daemon.Tests.Hosting;

/// <summary>
/// The daemon as <c>run</c> builds it (in-memory kernel table, real listener on loopback): the admin token file's mode
/// and reload, admin changes the state file cannot keep, and the warm-up before ready (issue 16, items 4, 5, 8, 9).
/// </summary>
public sealed class DaemonHardeningTests : IAsyncDisposable
{
    private const string TokenA = "token-a-0123456789abcdef";
    private const string TokenB = "token-b-fedcba9876543210";
    private readonly string _dir = Directory.CreateTempSubdirectory("ipvs-harden-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private HttpClient? _client;

    private string ConfigPath => Path.Combine(_dir, "config.yaml");

    private string TokenPath => Path.Combine(_dir, "token");

    private const string DrainPath = "/api/v1/virtual-services/a/realservers/127.0.0.1:9/drain";

    [Fact]
    public async Task TokenFile_WorldReadable_RefusesEveryAdminRequest()
    {
        await TokenFile.WriteAsync(TokenPath, TokenA, TokenFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await StartAsync(new InMemoryAdminStateStore());

        using var response = await Post(DrainPath, TokenA);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_logs.Lines, l => l.Contains("has mode 644", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenFile_GroupReadable0640_IsAccepted()
    {
        await TokenFile.WriteAsync(TokenPath, TokenA, TokenFile.OwnerOnly | UnixFileMode.GroupRead);
        await StartAsync(new InMemoryAdminStateStore());

        using var response = await Post(DrainPath, TokenA);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reload_RotatedToken_OnlyTheNewTokenIsAccepted()
    {
        await TokenFile.WriteAsync(TokenPath, TokenA);
        await StartAsync(new InMemoryAdminStateStore());
        await TokenFile.WriteAsync(TokenPath, TokenB);

        using (var reload = await Post("/api/v1/reload", TokenA))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }
        using (var old = await Post(DrainPath, TokenA))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        using var rotated = await Post(DrainPath, TokenB);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
    }

    [Fact]
    public async Task Drain_StateCannotBeSaved_Returns503PersistedFalse()
    {
        await TokenFile.WriteAsync(TokenPath, TokenA);
        await StartAsync(new FullDiskStore());

        using var response = await Post(DrainPath, TokenA);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.False((bool)json["persisted"]!);
        Assert.False((bool)json["ok"]!);
        Assert.Contains("No space left on device", (string)json["error"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_StateFileUnreadableAtStart_IsNotOverwrittenAndSays503()
    {
        // As root no mode makes a file unreadable; a socket at the path cannot be opened (ENXIO) yet can be renamed over.
        var statePath = Path.Combine(_dir, "admin.json");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(statePath));
        await TokenFile.WriteAsync(TokenPath, TokenA);
        await StartAsync(new FileAdminStateStore(statePath));

        using var response = await Post(DrainPath, TokenA);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.False((bool)json["persisted"]!);
        Assert.Contains("could not be read at start", (string)json["error"]!, StringComparison.Ordinal);
        Assert.True(StillUnreadable(statePath), "the unreadable state file was replaced by a save");
        Assert.Contains(_logs.Lines, l => l.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_BeforeItReturns_TheListenerHasServedMetricsAndStatusOnce()
    {
        await TokenFile.WriteAsync(TokenPath, TokenA);

        await StartAsync(new InMemoryAdminStateStore());

        // StartAsync returns when the host announces its start (systemd READY=1 is sent then): the warm-up has run.
        var line = Assert.Single(_logs.Lines, l => l.Contains("warmed up in", StringComparison.Ordinal));
        Assert.DoesNotContain("-1 ms", line, StringComparison.Ordinal);
    }

    // The socket still there fails to open with ENXIO ("No such device or address"); a saved regular file would open.
    private static bool StillUnreadable(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task StartAsync(IAdminStateStore store)
    {
        await File.WriteAllTextAsync(ConfigPath, $"""
            admin_token_file: {TokenPath}
            virtual_services:
              - name: a
                address: 127.0.0.1:80
                check: {"{"} interval: 1s, timeout: 200ms {"}"}
                realservers: [ {"{"} address: 127.0.0.1:9 {"}"} ]
            """, TestContext.Current.CancellationToken);
        var loaded = ConfigLoader.LoadFile(ConfigPath);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        _app = DaemonHost.Build(new DaemonHostOptions(loaded.Config!, DaemonMode.Run, new InMemoryIpvsTable(), store, new IPEndPoint(IPAddress.Loopback, 0))
        {
            Logging = l => l.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Information),
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task<HttpResponseMessage> Post(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client!.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A state store on a full disk: every save fails as write(2) would.</summary>
    private sealed class FullDiskStore : IAdminStateStore
    {
        public string Description => "file /var/lib/ipvs-checkd/admin.json";

        public IReadOnlyList<AdminRecord> Load() => [];

        public void Save(IReadOnlyList<AdminRecord> records) => throw new IOException("No space left on device");
    }
}
