namespace Ipvs.Daemon.Alerts;

/// <summary>A URL each alert is POSTed to, with extra headers (may hold a secret: never logged) and a deadline.</summary>
public sealed record AlertWebhookOptions(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, TimeSpan Timeout);
