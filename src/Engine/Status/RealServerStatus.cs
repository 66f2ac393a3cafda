using System.Net;
using Ipvs.Checks;
using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>One realserver of one virtual service: one row of the status table.</summary>
/// <param name="DesiredWeight">What the engine wants in the kernel; null = absent (removed) or no opinion yet.</param>
/// <param name="KernelWeight">What the kernel had at the last dump or edit; null = absent.</param>
/// <param name="ReportedWeight">The weight an exec check or agent reported, if any.</param>
/// <param name="DecidingResult">The check result that caused the last health transition.</param>
/// <param name="FlapDamped">Kept out by flap damping although its checks pass (or until it recovers).</param>
/// <param name="FlapDampedUntil">When the hold ends if it stays up; null while down (the hold starts at recovery).</param>
public sealed record RealServerStatus(
    IPEndPoint Address,
    HealthState Health,
    DateTimeOffset HealthSince,
    int ConfiguredWeight,
    int? DesiredWeight,
    int? KernelWeight,
    int? ReportedWeight,
    int? WeightOverride,
    AdminState Admin,
    string? AdminBy,
    DateTimeOffset? AdminAt,
    bool SlowStarting,
    bool HeldByMassFailureGuard,
    CheckResult? DecidingResult,
    IReadOnlyList<CheckStatusView> Checks,
    DestinationEntry? Kernel,
    bool FlapDamped = false,
    DateTimeOffset? FlapDampedUntil = null);
