using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Alerts;

internal static partial class AlertLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Alert: {Summary}")]
    public static partial void Raised(ILogger logger, string summary);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Alert hook {Hook} failed for \"{Summary}\": {Error}")]
    public static partial void HookFailed(ILogger logger, string hook, string summary, string error);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Alert queue full ({Capacity}): dropped \"{Summary}\"; the hooks are slower than the alerts")]
    public static partial void Dropped(ILogger logger, int capacity, string summary);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "Alert intake full: a transition of {Realserver} in {VirtualService} was dropped")]
    public static partial void TransitionDropped(ILogger logger, string realserver, string virtualService);
}
