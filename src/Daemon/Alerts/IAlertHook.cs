namespace Ipvs.Daemon.Alerts;

/// <summary>Somewhere an alert goes (a command, a webhook). Called from the alert worker only, one alert at a time.</summary>
public interface IAlertHook
{
    /// <summary>"command" or "webhook": the hook label of the alert metrics.</summary>
    string Name { get; }

    /// <summary>Delivers one alert; throws (or returns a failure) within <paramref name="cancellationToken"/>'s deadline.</summary>
    Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);
}
