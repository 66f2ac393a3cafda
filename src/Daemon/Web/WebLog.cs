using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Web;

internal static partial class WebLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Listening on {Address} without TLS: the admin token and the status travel in clear text; bind to 127.0.0.1 or put TLS in front")]
    public static partial void PlainHttpOffLoopback(ILogger logger, string address);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Admin API refuses every request: {Problem}")]
    public static partial void AdminApiDisabled(ILogger logger, string problem);
}
