using System.Net;
using Ipvs.Netlink;
using Microsoft.Extensions.Logging;

namespace Ipvs.Engine;

internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "engine started on {Table}: {Services} virtual services, {Checks} distinct checks, readiness gate {Gate}")]
    public static partial void Started(ILogger logger, string table, int services, int checks, TimeSpan gate);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine stopped (owned services removed: {Removed})")]
    public static partial void Stopped(ILogger logger, bool removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine stopped with {Count} checks still running (they ignored cancellation past their timeout)")]
    public static partial void StopWithChecksInFlight(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine ready: first pass on {Table} done, kernel changes enabled")]
    public static partial void Ready(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "topology applied: {Services} virtual services, {Checks} distinct checks serving {Subscriptions} realserver checks")]
    public static partial void TopologyApplied(ILogger logger, int services, int checks, long subscriptions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} check of {Target} could not be created: {Reason}")]
    public static partial void ProbeUnavailable(ILogger logger, string kind, IPEndPoint target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {RealServer}: {From} -> {To} ({Why})")]
    public static partial void HealthChanged(ILogger logger, string service, IPEndPoint realServer, string from, string to, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {RealServer}: up but kept out ({Why})")]
    public static partial void FlapDamped(ILogger logger, string service, IPEndPoint realServer, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {RealServer}: flap damping ended, back in ({Why})")]
    public static partial void FlapDampingEnded(ILogger logger, string service, IPEndPoint realServer, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} {RealServer}: admin {From} -> {To} by {Who}")]
    public static partial void AdminChanged(ILogger logger, string service, IPEndPoint realServer, string from, string to, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: quorum {State} ({Why})")]
    public static partial void QuorumChanged(ILogger logger, string service, string state, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}: mass-failure guard holds the change: {Why}")]
    public static partial void MassFailureHeld(ILogger logger, string service, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: mass-failure hold released by {Who}")]
    public static partial void HoldReleased(ILogger logger, string service, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {What}: changed behind our back ({From} -> {To}), {Action}")]
    public static partial void Drift(ILogger logger, string service, string what, string from, string to, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine lagging: checks start {Lag} late (guard {Guard}); timeouts are not trusted until it recovers")]
    public static partial void LagGuardEntered(ILogger logger, TimeSpan lag, TimeSpan guard);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine on time again; failures are trusted")]
    public static partial void LagGuardLeft(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Service}: errno {Errno}, the table changed under us; re-reading")]
    public static partial void Converging(ILogger logger, IpvsEditKind kind, ServiceKey service, int errno);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} {Service} refused: errno {Errno} ({Message}); retried at the next full read")]
    public static partial void EditFailed(ILogger logger, IpvsEditKind kind, ServiceKey service, int errno, string? message);

    [LoggerMessage(Level = LogLevel.Error, Message = "IPVS table {Table} failed: {Error}")]
    public static partial void TableFailed(ILogger logger, string table, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "admin state could not be read from {Store}: {Error}; starting without it")]
    public static partial void AdminLoadFailed(ILogger logger, string store, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "admin state could not be saved to {Store}: {Error}; it holds in memory until the next save")]
    public static partial void AdminSaveFailed(ILogger logger, string store, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "an engine event handler failed on {Kind}")]
    public static partial void EventHandlerFailed(ILogger logger, EngineEventKind kind, Exception exception);
}
