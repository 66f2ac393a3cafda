using System.Net;
using Ipvs.Daemon.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

public sealed class AlertServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private AlertService Create(IAlertHook hook, AlertOptions? options = null) => new(
        options ?? new AlertOptions { Hold = TimeSpan.FromSeconds(10) },
        [hook], _time, NullLogger<AlertService>.Instance, new AlertCounters());

    private HealthTransition Down(string vs, string rs) => new(_time.GetUtcNow(), vs, IPEndPoint.Parse(rs), false, "connection refused");

    [Fact]
    public async Task Tick_HostDownHeldInVirtualTime_DeliversOneAlertToTheHook()
    {
        var hook = new RecordingHook();
        await using var service = Create(hook);
        await service.StartAsync(TestContext.Current.CancellationToken);

        service.Post(Down("web", "10.0.1.1:80"));
        service.Post(Down("mail", "10.0.1.1:25"));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, Volatile.Read(ref hook.Calls));
        _time.Advance(TimeSpan.FromSeconds(1.25));

        var alert = await hook.NextAsync();
        Assert.Equal(AlertKind.Down, alert.Kind);
        Assert.Equal(2, alert.Services.Count);
        Assert.Equal(1, Volatile.Read(ref hook.Calls));
    }

    [Fact]
    public async Task Hook_NeverAnswers_TimesOutInVirtualTimeAndCountsFailure()
    {
        var hook = new RecordingHook(hang: true) { Timeout = TimeSpan.FromSeconds(5) };
        var options = new AlertOptions { Hold = TimeSpan.Zero };
        await using var service = Create(hook, options);
        await service.StartAsync(TestContext.Current.CancellationToken);
        service.Post(Down("web", "10.0.1.1:80"));
        _time.Advance(TimeSpan.FromSeconds(2.25));
        await WaitUntil(() => Volatile.Read(ref hook.Calls) == 1);

        _time.Advance(TimeSpan.FromSeconds(5));

        await WaitUntil(() => service.Counters.Failed == 1);
        Assert.Equal(0, service.Counters.Sent);
    }

    [Fact]
    public async Task Post_HooksHungAndQueueFull_NeverBlocksAndCountsDrops()
    {
        var hook = new RecordingHook(hang: true) { Timeout = TimeSpan.FromHours(1) };
        var options = new AlertOptions { Hold = TimeSpan.Zero, QueueCapacity = 2 };
        await using var service = Create(hook, options);
        await service.StartAsync(TestContext.Current.CancellationToken);

        // 20 hosts fail; the hook holds the first alert forever, two wait in the queue, the rest are dropped.
        for (var i = 1; i <= 20; i++)
        {
            service.Post(Down("web", $"10.0.2.{i}:80"));
        }
        _time.Advance(TimeSpan.FromSeconds(2.25));

        await WaitUntil(() => Volatile.Read(ref hook.Calls) == 1);
        Assert.InRange(service.Counters.Dropped, 17, 18);
        Assert.Equal(0, service.Counters.Failed);
    }

    [Fact]
    public async Task Tick_RecoveryAfterAlert_DeliversRecoveryToTheHook()
    {
        var hook = new RecordingHook();
        await using var service = Create(hook);
        await service.StartAsync(TestContext.Current.CancellationToken);
        service.Post(Down("web", "10.0.1.1:80"));
        _time.Advance(TimeSpan.FromSeconds(10.25));
        Assert.Equal(AlertKind.Down, (await hook.NextAsync()).Kind);

        service.Post(new HealthTransition(_time.GetUtcNow(), "web", IPEndPoint.Parse("10.0.1.1:80"), true, null));
        _time.Advance(TimeSpan.FromSeconds(10.25));

        Assert.Equal(AlertKind.Recovered, (await hook.NextAsync()).Kind);
    }

    /// <summary>Waits for work on the thread pool (the hook worker) to reach a state; bounded, not a timing assertion.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
