namespace Ipvs.Daemon.Alerts;

/// <summary>Notification hooks and their damping (config section <c>alerts</c>; defaults in docs/api.md).</summary>
public sealed record AlertOptions
{
    /// <summary>Program and arguments to run per alert (no shell); the alert JSON is on its stdin. Null: no command.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>URL that receives each alert as a JSON POST. Null: no webhook.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>A host must stay down (or back up) this long before the alert goes out: flaps shorter than this stay silent.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Transitions of one host within this window become one alert, even with <see cref="Hold"/> 0.</summary>
    public TimeSpan GroupWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Repeat the down alert this often while the host stays down; zero: never repeat.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Most down alerts (first one included) per down episode of a host; the recovery alert always follows.</summary>
    public int MaxAlerts { get; init; } = 3;

    /// <summary>Deadline for one hook call (the command is killed, the request cancelled).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Alerts waiting for the hooks; when full, new alerts are dropped and counted, never waited for.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>How often pending hosts are looked at (resolution of hold and resend times).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    public bool Enabled => Command is { Count: > 0 } || Webhook is not null;
}
