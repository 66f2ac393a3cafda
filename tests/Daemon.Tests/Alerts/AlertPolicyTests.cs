using System.Net;
using Ipvs.Daemon.Alerts;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

public sealed class AlertPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Options = new()
    {
        Hold = TimeSpan.FromSeconds(10),
        GroupWindow = TimeSpan.FromSeconds(2),
        ResendInterval = TimeSpan.FromMinutes(5),
        MaxAlerts = 3,
    };

    private static HealthTransition Down(double at, string vs, string rs, string reason = "connection refused") =>
        new(T0.AddSeconds(at), vs, IPEndPoint.Parse(rs), Up: false, reason);

    private static HealthTransition Up(double at, string vs, string rs) => new(T0.AddSeconds(at), vs, IPEndPoint.Parse(rs), Up: true, null);

    private static List<AlertMessage> Due(AlertPolicy policy, double at) => policy.Due(T0.AddSeconds(at)) ?? [];

    [Fact]
    public void Due_HostFailsInFiveServices_SendsOneAlertListingAllFive()
    {
        var policy = new AlertPolicy(Options);
        for (var i = 0; i < 5; i++)
        {
            policy.Observe(Down(i * 0.5, $"vs{i}", $"10.0.1.1:{8080 + i}"));
        }

        var alerts = Due(policy, 10);

        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKind.Down, alert.Kind);
        Assert.Equal("10.0.1.1", alert.Host);
        Assert.Equal(5, alert.Services.Count);
        Assert.All(alert.Services, s => Assert.False(s.Up));
        Assert.Equal(T0, alert.DownSince);
        Assert.Equal(1, alert.Count);
        Assert.Empty(Due(policy, 11));
    }

    [Fact]
    public void Due_BeforeHoldElapsed_SendsNothing()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));

        Assert.Empty(Due(policy, 9.9));
        Assert.Single(Due(policy, 10));
    }

    [Fact]
    public void Due_RecoveredBeforeHold_StaysSilentAndClosesEpisode()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        Assert.Empty(Due(policy, 5));
        policy.Observe(Up(6, "web", "10.0.1.1:80"));

        Assert.Empty(Due(policy, 7));
        Assert.Empty(Due(policy, 60));
        Assert.Equal(0, policy.OpenEpisodes);
    }

    [Fact]
    public void Due_FlapThenDownAgain_HoldCountsFromTheNewFailure()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        policy.Observe(Up(4, "web", "10.0.1.1:80"));
        policy.Observe(Down(8, "web", "10.0.1.1:80"));

        Assert.Empty(Due(policy, 12));
        var alert = Assert.Single(Due(policy, 18));
        Assert.Equal(T0.AddSeconds(8), alert.DownSince);
    }

    [Fact]
    public void Due_HoldZero_GroupsTransitionsWithinTheGroupWindow()
    {
        var policy = new AlertPolicy(Options with { Hold = TimeSpan.Zero });
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        Assert.Empty(Due(policy, 1));
        policy.Observe(Down(1.5, "mail", "10.0.1.1:25"));

        var alert = Assert.Single(Due(policy, 2));

        Assert.Equal(2, alert.Services.Count);
    }

    [Fact]
    public void Due_TwoHostsDown_OneAlertEach()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        policy.Observe(Down(0, "mail", "10.0.1.1:25"));
        policy.Observe(Down(0, "web", "10.0.1.2:80"));

        var alerts = Due(policy, 10);

        Assert.Equal(2, alerts.Count);
        Assert.Equal(["10.0.1.1", "10.0.1.2"], alerts.Select(a => a.Host).Order());
    }

    [Fact]
    public void Due_StaysDown_ResendsEveryIntervalUpToMaximumThenSuppresses()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));

        var kinds = new List<(double At, AlertKind Kind, int Count)>();
        for (var t = 0.0; t <= 3600; t += 1)
        {
            foreach (var a in Due(policy, t))
            {
                kinds.Add((t, a.Kind, a.Count));
            }
        }

        Assert.Equal([(10.0, AlertKind.Down, 1), (310.0, AlertKind.StillDown, 2), (610.0, AlertKind.StillDown, 3)], kinds);
        Assert.True(policy.Suppressed > 0);
    }

    [Fact]
    public void Due_RecoversAfterAlert_SendsRecoveryAfterHoldListingWhatWasDown()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        policy.Observe(Down(1, "mail", "10.0.1.1:25"));
        Assert.Single(Due(policy, 10));
        policy.Observe(Up(20, "web", "10.0.1.1:80"));
        Assert.Empty(Due(policy, 31)); // mail still down: no recovery
        policy.Observe(Up(40, "mail", "10.0.1.1:25"));

        Assert.Empty(Due(policy, 49));
        var recovery = Assert.Single(Due(policy, 50));

        Assert.Equal(AlertKind.Recovered, recovery.Kind);
        Assert.Equal(2, recovery.Services.Count);
        Assert.All(recovery.Services, s => Assert.True(s.Up));
        Assert.Equal(0, policy.OpenEpisodes);
    }

    [Fact]
    public void Due_UpBrieflyAfterAlertThenDownAgain_NoRecoveryAndNoNewDownAlert()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Down(0, "web", "10.0.1.1:80"));
        Assert.Single(Due(policy, 10));
        policy.Observe(Up(20, "web", "10.0.1.1:80"));
        policy.Observe(Down(25, "web", "10.0.1.1:80"));

        Assert.Empty(Due(policy, 35));
        Assert.Empty(Due(policy, 100));
        var resend = Assert.Single(Due(policy, 310));
        Assert.Equal(AlertKind.StillDown, resend.Kind);
        Assert.Equal(T0, resend.DownSince);
    }

    [Fact]
    public void Observe_UpWithoutKnownFailure_OpensNothing()
    {
        var policy = new AlertPolicy(Options);
        policy.Observe(Up(0, "web", "10.0.1.1:80"));

        Assert.Empty(Due(policy, 100));
        Assert.Equal(0, policy.OpenEpisodes);
    }
}
