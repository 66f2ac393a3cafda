using System.Net;
using Ipvs.Daemon.Alerts;
using Ipvs.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

public sealed class AlertEngineFeedTests
{
    private static readonly IPEndPoint Rs = IPEndPoint.Parse("10.0.1.1:80");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private EngineEvent Health(string to, string admin) =>
        new(_time.GetUtcNow(), EngineEventKind.HealthChanged, "web", Rs, "up", to, "tcp check failed 2×: connection refused", "check", Admin: admin);

    private EngineEvent Admin(string from, string to, string health) =>
        new(_time.GetUtcNow(), EngineEventKind.AdminChanged, "web", Rs, from, to, "admin action", "bob", Health: health);

    [Fact]
    public async Task OnEvent_DownInService_Alerted()
    {
        var (hook, service, feed) = await StartAsync();
        await using (service)
        using (feed)
        {
            feed.OnEvent(Health("down", "ready"));
            _time.Advance(TimeSpan.FromSeconds(2.25));

            var alert = await hook.NextAsync();
            Assert.Equal((AlertKind.Down, "10.0.1.1"), (alert.Kind, alert.Host));
        }
    }

    [Fact]
    public async Task OnEvent_DownInMaintenance_SilentUntilMaintenanceEndsWhileStillDown()
    {
        var (hook, service, feed) = await StartAsync();
        await using (service)
        using (feed)
        {
            feed.OnEvent(Admin("ready", "maintenance", "up"));
            feed.OnEvent(Health("down", "maintenance"));
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(0, Volatile.Read(ref hook.Calls));

            feed.OnEvent(Admin("maintenance", "ready", "down"));
            _time.Advance(TimeSpan.FromSeconds(2.25));

            var alert = await hook.NextAsync();
            Assert.Equal(AlertKind.Down, alert.Kind);
            Assert.Equal("still down when maintenance ended", Assert.Single(alert.Services).Reason);
            Assert.Equal(1, Volatile.Read(ref hook.Calls));
        }
    }

    [Fact]
    public async Task OnEvent_MaintenanceEndsWhileUp_NoAlertOfItsOwn()
    {
        var (hook, service, feed) = await StartAsync();
        await using (service)
        using (feed)
        {
            feed.OnEvent(Admin("maintenance", "ready", "up"));
            feed.OnEvent(Admin("maintenance", "drain", "unknown"));
            _time.Advance(TimeSpan.FromSeconds(30));

            // The first alert that comes is the later failure in service, not one for leaving maintenance.
            feed.OnEvent(Health("down", "ready"));
            _time.Advance(TimeSpan.FromSeconds(2.25));
            var alert = await hook.NextAsync();
            Assert.Equal("tcp check failed 2×: connection refused", Assert.Single(alert.Services).Reason);
        }
    }

    [Fact]
    public async Task OnEvent_MassFailureHeld_AlertedAtTheNextTickOncePerHold()
    {
        var (hook, service, feed) = await StartAsync();
        await using (service)
        using (feed)
        {
            const string Why = "7 realservers failing at once (+3 recently) of 10; at most 3 may go";
            feed.OnEvent(new EngineEvent(_time.GetUtcNow(), EngineEventKind.MassFailureHeld, "web", null, "applying", "held", Why, "engine"));
            // Not grouped by host nor held back: at the next tick.
            _time.Advance(TimeSpan.FromSeconds(0.25));

            var alert = await hook.NextAsync();
            Assert.Equal((AlertKind.MassFailureHeld, ""), (alert.Kind, alert.Host));
            var held = Assert.Single(alert.Services);
            Assert.Equal(("web", false, Why), (held.VirtualService, held.Up, held.Reason));
            Assert.Equal("web: mass-failure hold: " + Why, alert.Summary);

            // Its end is no alert of its own; the realservers that then go out are alerted as any failure is.
            feed.OnEvent(new EngineEvent(_time.GetUtcNow(), EngineEventKind.MassFailureReleased, "web", null, "held", "applying", "released", "engine"));
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(1, Volatile.Read(ref hook.Calls));
        }
    }

    [Fact]
    public async Task OnEvent_DownByOneOfSeveralChecks_ReasonNamesTheCheck()
    {
        var (hook, service, feed) = await StartAsync();
        await using (service)
        using (feed)
        {
            feed.OnEvent(Health("down", "ready") with
            {
                Why = "http /ready check failed 2×: status 503",
                Result = Ipvs.Checks.CheckResult.Fail("status 503", TimeSpan.Zero),
                Check = "http /ready",
            });
            _time.Advance(TimeSpan.FromSeconds(2.25));

            var alert = await hook.NextAsync();
            Assert.Equal("http /ready: status 503", Assert.Single(alert.Services).Reason);
        }
    }

    private async Task<(RecordingHook Hook, AlertService Service, AlertEngineFeed Feed)> StartAsync()
    {
        var hook = new RecordingHook();
        var service = new AlertService(new AlertOptions { Hold = TimeSpan.Zero }, [hook], _time, NullLogger<AlertService>.Instance, new AlertCounters());
        await service.StartAsync(TestContext.Current.CancellationToken);
        var engine = new HealthEngine(new InMemoryIpvsTable(), new InMemoryAdminStateStore());
        return (hook, service, new AlertEngineFeed(engine, service));
    }
}
