using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// One transition, for logs, notifications and metrics: who or what caused it, what changed (From → To in
/// operator words: "up", "down", "drain", "7"), why, and the check result that decided it when there is one.
/// A health change also says the realserver's admin state then (<see cref="Admin"/>: "ready", "drain",
/// "maintenance"), and an admin change its health then (<see cref="Health"/>: "up", "down", "unknown"), so a
/// listener such as the alert service can tell a host that fails in maintenance from one that fails in service.
/// <see cref="Check"/> names the check that decided a health change (<see cref="Ipvs.Checks.CheckSpec.Label"/>).
/// </summary>
public sealed record EngineEvent(
    DateTimeOffset At,
    EngineEventKind Kind,
    string? VirtualService,
    IPEndPoint? RealServer,
    string From,
    string To,
    string Why,
    string Who,
    CheckResult? Result = null,
    string? CheckKind = null,
    string? Admin = null,
    string? Health = null,
    string? Check = null);
