using System.Net;

namespace Ipvs.Engine;

/// <summary>
/// What an operator set on one realserver of one virtual service, and who set it when. A record with
/// <see cref="AdminState.Ready"/> and no override is the default and need not be stored.
/// </summary>
public sealed record AdminRecord(
    string VirtualService,
    IPEndPoint RealServer,
    AdminState State,
    int? WeightOverride,
    string Who,
    DateTimeOffset At)
{
    public bool IsDefault => State == AdminState.Ready && WeightOverride is null;
}
