namespace Ipvs.Daemon.Alerts;

/// <summary>
/// One alert for one host (the realserver's address), whatever number of virtual services it serves: the JSON
/// body of the webhook and the stdin of the command. Shape: docs/api.md.
/// </summary>
/// <param name="Count">Down alerts sent for this episode so far, this one included (0 for a recovery).</param>
/// <param name="MaxCount">The configured maximum of down alerts per episode; 0: no limit.</param>
/// <param name="DownSince">When the first realserver of the host went down in this episode.</param>
public sealed record AlertMessage(
    AlertKind Kind,
    string Host,
    DateTimeOffset At,
    DateTimeOffset DownSince,
    int Count,
    int MaxCount,
    IReadOnlyList<AlertedService> Services)
{
    /// <summary>One line for logs and for a human reading a mail subject.</summary>
    public string Summary => Kind switch
    {
        AlertKind.Recovered => $"{Host} recovered ({Services.Count} realserver(s))",
        AlertKind.MassFailureHeld => $"{(Services.Count > 0 ? Services[0].VirtualService : "")}: mass-failure hold: {(Services.Count > 0 ? Services[0].Reason : "")}",
        _ => $"{Host} down: {DownCount()} of {Services.Count} realserver(s) since {DownSince:u} (alert {Count}{(MaxCount > 0 ? "/" + MaxCount : "")})",
    };

    private int DownCount()
    {
        var n = 0;
        foreach (var s in Services)
        {
            if (!s.Up)
            {
                n++;
            }
        }
        return n;
    }
}
