using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>One check of a realserver as the status API shows it.</summary>
/// <param name="SharedBy">How many realserver entries (across virtual services) this one probe serves.</param>
/// <param name="Name">The check in an operator's words (<see cref="CheckSpec.Label"/>).</param>
/// <param name="Distrusted">The last failure was not counted because the engine was lagging.</param>
public sealed record CheckStatusView(
    string Kind,
    IPEndPoint Target,
    HealthState Health,
    CheckResult? LastResult,
    DateTimeOffset? LastAt,
    int ConsecutivePasses,
    int ConsecutiveFailures,
    TimeSpan CurrentInterval,
    int SharedBy,
    bool Distrusted,
    string? Name = null);
