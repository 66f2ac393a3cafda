namespace Ipvs.Daemon.Config;

/// <summary>
/// The <c>alerts</c> section: what to run or call when a realserver (or a whole host) changes state, how long a
/// state must hold before it is told, and how often it is repeated while it lasts.
/// </summary>
internal sealed record AlertsConfig(
    TimeSpan Hold,
    TimeSpan Resend,
    int MaxCount,
    bool Recovery,
    IReadOnlyList<AlertCommand> Commands,
    IReadOnlyList<AlertWebhook> Webhooks)
{
    public static AlertsConfig None { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30), 3, true, [], []);

    public bool Enabled => Commands.Count > 0 || Webhooks.Count > 0;
}

/// <summary>A command run per alert; the alert's JSON goes to its standard input.</summary>
internal sealed record AlertCommand(string Command, IReadOnlyList<string> Arguments, TimeSpan Timeout);

/// <summary>A URL the alert's JSON is POSTed to, with extra headers (e.g. a token: a secret, never logged).</summary>
internal sealed record AlertWebhook(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, TimeSpan Timeout);
