namespace Ipvs.Daemon.Alerts;

/// <summary>Somewhere an alert goes (a command, a webhook). Called from the alert worker only, one alert at a time.</summary>
public interface IAlertHook
{
    /// <summary>For logs: "command /usr/local/bin/page", "webhook https://host:443" (never a path, query or header).</summary>
    string Name { get; }

    /// <summary>Deadline of one call.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Delivers one alert; throws (or returns a failure) within <paramref name="cancellationToken"/>'s deadline.</summary>
    Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);
}
