using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Ipvs.Daemon.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ipvs.Daemon.Tests.Web;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

/// <summary>Alerts through the real hooks: a webhook receiver on loopback and a real command, in real time.</summary>
public sealed class AlertEndToEndTests
{
    private static readonly AlertOptions Fast = new()
    {
        Hold = TimeSpan.Zero,
        GroupWindow = TimeSpan.FromMilliseconds(300),
        Tick = TimeSpan.FromMilliseconds(50),
    };

    private static readonly TimeSpan HookTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Webhook_HostDownInTwoServicesThenRecovered_ReceivesOneDownAndOneRecoveryJson()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = Fast with { Webhooks = [new AlertWebhookOptions(receiver.Url, [], HookTimeout)] };
        using var host = BuildHost(options);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var alerts = host.Services.GetRequiredService<AlertService>();

        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.9:80"), false, "connection refused"));
        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "mail", IPEndPoint.Parse("127.0.0.9:25"), false, "timeout after 1000 ms"));
        using var down = await receiver.NextAsync();
        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.9:80"), true, null));
        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "mail", IPEndPoint.Parse("127.0.0.9:25"), true, null));
        using var recovered = await receiver.NextAsync();
        await host.StopAsync(TestContext.Current.CancellationToken);

        var d = down.RootElement;
        Assert.Equal("down", d.GetProperty("kind").GetString());
        Assert.Equal("127.0.0.9", d.GetProperty("host").GetString());
        Assert.Equal(1, d.GetProperty("count").GetInt32());
        var services = d.GetProperty("services");
        Assert.Equal(2, services.GetArrayLength());
        Assert.Equal("mail", services[0].GetProperty("virtual_service").GetString());
        Assert.Equal("127.0.0.9:25", services[0].GetProperty("realserver").GetString());
        Assert.Equal("timeout after 1000 ms", services[0].GetProperty("reason").GetString());
        Assert.Contains("127.0.0.9 down: 2 of 2", d.GetProperty("summary").GetString());
        Assert.Equal("recovered", recovered.RootElement.GetProperty("kind").GetString());
        Assert.Equal(0, receiver.Pending);
        Assert.Equal(2, alerts.Counters.Sent);
    }

    [Fact]
    public async Task Webhook_ReceiverAnswers500_CountsFailureAndLogsNeitherUrlPathNorHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync(status: 500);
        var logs = new CapturingLoggerProvider();
        using var host = BuildHost(Fast with { Webhooks = [new AlertWebhookOptions(new Uri(receiver.Url, "/hook/" + Secret), [new("X-Token", Secret)], HookTimeout)] }, logs);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var alerts = host.Services.GetRequiredService<AlertService>();

        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.9:80"), false, "refused"));
        alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.10:80"), false, "refused"));
        (await receiver.NextAsync()).Dispose();
        (await receiver.NextAsync()).Dispose();
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, alerts.Counters.Failed);
        Assert.Equal(0, alerts.Counters.Sent);
        Assert.Contains(logs.Lines, l => l.Contains("answered 500", StringComparison.Ordinal));
        Assert.All(logs.Lines, l => Assert.DoesNotContain(Secret, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Command_HostDown_RunsProgramWithJsonOnStdinAndEnvironment()
    {
        var dir = Directory.CreateTempSubdirectory("ipvs-checkd-alert-");
        try
        {
            var output = Path.Combine(dir.FullName, "alert.json");
            var env = Path.Combine(dir.FullName, "alert.env");
            var command = new AlertCommandOptions("/bin/sh", ["-c", "cat > \"$0\"; echo \"$IPVS_CHECKD_ALERT_KIND $IPVS_CHECKD_ALERT_HOST\" > \"$1\"", output, env], HookTimeout);
            using var host = BuildHost(Fast with { Commands = [command] });
            await host.StartAsync(TestContext.Current.CancellationToken);
            var alerts = host.Services.GetRequiredService<AlertService>();

            alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.9:80"), false, "connection refused"));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (alerts.Counters.Sent + alerts.Counters.Failed == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the command did not run within 20 s");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            await host.StopAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, alerts.Counters.Sent);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
            Assert.Equal("127.0.0.9", json.RootElement.GetProperty("host").GetString());
            Assert.Equal("down 127.0.0.9", (await File.ReadAllTextAsync(env, TestContext.Current.CancellationToken)).Trim());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Command_NeverExits_IsKilledAtTheDeadline()
    {
        var dir = Directory.CreateTempSubdirectory("ipvs-checkd-alert-");
        try
        {
            var pidFile = Path.Combine(dir.FullName, "pid");
            var command = new AlertCommandOptions("/bin/sh", ["-c", "echo $$ > \"$0\"; exec sleep 600", pidFile], TimeSpan.FromMilliseconds(500));
            using var host = BuildHost(Fast with { Commands = [command] });
            await host.StartAsync(TestContext.Current.CancellationToken);
            var alerts = host.Services.GetRequiredService<AlertService>();

            alerts.Post(new HealthTransition(DateTimeOffset.UtcNow, "web", IPEndPoint.Parse("127.0.0.9:80"), false, "refused"));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (alerts.Counters.Failed == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the hung command was not given up within 20 s");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            await host.StopAsync(TestContext.Current.CancellationToken);

            var pid = int.Parse((await File.ReadAllTextAsync(pidFile, TestContext.Current.CancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await WaitGone(pid);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task WaitGone(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs after the deadline");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private const string Secret = "hook-secret-4242";

    private static IHost BuildHost(AlertOptions options, CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }
        builder.Services.AddAlertsCore(options);
        return builder.Build();
    }

    /// <summary>A real HTTP server on a random loopback port that records POST bodies.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<JsonDocument> _bodies;

        private WebhookReceiver(WebApplication app, Channel<JsonDocument> bodies, Uri url)
        {
            _app = app;
            _bodies = bodies;
            Url = url;
        }

        public Uri Url { get; }

        public int Pending => _bodies.Reader.Count;

        public static async Task<WebhookReceiver> StartAsync(int status = 200)
        {
            var bodies = Channel.CreateUnbounded<JsonDocument>();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapPost("/hook/{**rest}", async (HttpContext http) =>
            {
                bodies.Writer.TryWrite(await JsonDocument.ParseAsync(http.Request.Body));
                http.Response.StatusCode = status;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new WebhookReceiver(app, bodies, new Uri(new Uri(address), "/hook"));
        }

        public async Task<JsonDocument> NextAsync()
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            return await _bodies.Reader.ReadAsync(deadline.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
