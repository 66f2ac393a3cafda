namespace Ipvs.Daemon.Alerts;

/// <summary>Notification hooks and their damping (config section <c>alerts</c>; payload in docs/api.md).</summary>
public sealed record AlertOptions
{
    /// <summary>Programs run per alert; the alert JSON is on their stdin.</summary>
    public IReadOnlyList<AlertCommandOptions> Commands { get; init; } = [];

    /// <summary>URLs that receive each alert as a JSON POST.</summary>
    public IReadOnlyList<AlertWebhookOptions> Webhooks { get; init; } = [];

    /// <summary>A host must stay down (or back up) this long before the alert goes out: flaps shorter than this stay silent.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Transitions of one host within this window become one alert, even with <see cref="Hold"/> 0.</summary>
    public TimeSpan GroupWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Repeat the down alert this often while the host stays down; zero: never repeat.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Most down alerts (first one included) per down episode of a host; 0: no limit.</summary>
    public int MaxAlerts { get; init; } = 3;

    /// <summary>Send a recovery alert when every realserver of an alerted host is back up (held for <see cref="Hold"/>).</summary>
    public bool Recovery { get; init; } = true;

    /// <summary>Alerts waiting for the hooks; when full, new alerts are dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>How often pending hosts are looked at (resolution of hold and resend times).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    public bool Enabled => Commands.Count > 0 || Webhooks.Count > 0;
}
