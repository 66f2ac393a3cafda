using System.Net;

namespace Ipvs.Engine;

/// <summary>One realserver an admin action matched, what it was and what it is now.</summary>
public sealed record AdminChange(
    string VirtualService,
    IPEndPoint RealServer,
    AdminState FromState,
    AdminState ToState,
    int? FromOverride,
    int? ToOverride)
{
    public bool Changed => FromState != ToState || FromOverride != ToOverride;

    /// <summary>
    /// Why the change could not be saved (it holds in memory, in force until the daemon stops, then is lost); null
    /// when it was saved or nothing changed.
    /// </summary>
    public string? NotSaved { get; init; }
}
