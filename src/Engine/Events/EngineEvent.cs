using System.Net;
using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>
/// One transition, for logs, notifications and metrics: who or what caused it, what changed (From → To in
/// operator words: "up", "down", "drain", "7"), why, and the check result that decided it when there is one.
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
    string? CheckKind = null);
