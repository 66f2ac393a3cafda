namespace Ipvs.Daemon.Web.Status;

/// <summary>One health or admin transition of a realserver, as the page's "recent transitions" list shows it.</summary>
public sealed record TransitionEntry(
    DateTimeOffset At,
    string VirtualService,
    string Realserver,
    string From,
    string To,
    string? Reason);
