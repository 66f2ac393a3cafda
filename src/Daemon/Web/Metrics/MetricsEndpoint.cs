using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary><c>GET /metrics</c>: Prometheus text format, gzip when the scraper accepts it (Prometheus always does).</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // A RequestDelegate, typed as one: the Native AOT request-delegate generator otherwise intercepts this MapGet as
    // the Delegate overload and the publish fails (CS9144).
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/metrics", Handler);

    private static readonly RequestDelegate Handler = async http =>
        {
            var exposition = http.RequestServices.GetRequiredService<MetricsExposition>();
            var gzip = HttpEncoding.AcceptsGzip(http.Request);
            var body = await exposition.GetAsync(gzip, http.RequestAborted).ConfigureAwait(false);
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Vary = "Accept-Encoding";
            if (gzip)
            {
                http.Response.Headers.ContentEncoding = "gzip";
            }
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
        };
}
