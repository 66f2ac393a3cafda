using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ipvs.Daemon.Web.Guard;

/// <summary>
/// What one client may hold of the listener. Without a cap, idle connections (kept about 130 s by default) used up
/// the descriptor limit: accept failed with EMFILE and the runtime aborted, and the checks stopped with it. With
/// these limits the listener holds at most <see cref="MaxConnections"/> descriptors (Kestrel accepts and at once closes
/// a connection over the cap), a connection that sends nothing is dropped after <see cref="KeepAliveTimeout"/>, one
/// that sends headers too slowly after <see cref="HeadersTimeout"/>, and a connection is closed after
/// <see cref="MaxRequestsPerConnection"/> requests. The start-up check (<c>DescriptorBudget</c>) counts the cap.
/// </summary>
internal static class WebLimits
{
    public const int MaxConnections = 64;
    public const int MaxRequestsPerConnection = 100;
    public const long MaxRequestBodyBytes = 64 * 1024;
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(5);

    public static void Apply(KestrelServerOptions kestrel)
    {
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = HeadersTimeout;
        limits.MaxRequestBodySize = MaxRequestBodyBytes;
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.AddServerHeader = false;
    }

    /// <summary>Closes the connection after its <see cref="MaxRequestsPerConnection"/>th request (Connection: close).</summary>
    public static Task CountRequests(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items is { } items)
        {
            var count = items.TryGetValue(typeof(WebLimits), out var seen) && seen is int n ? n + 1 : 1;
            items[typeof(WebLimits)] = count;
            if (count >= MaxRequestsPerConnection)
            {
                http.Response.Headers.Connection = "close";
            }
        }
        return next(http);
    }
}
