using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ipvs.Daemon.Web.Status;

/// <summary><c>GET /api/v1/status</c>: read-only, no token needed, nothing secret in it (no check credentials).</summary>
internal static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/status", (HttpContext http, IStatusSource source, TransitionLog log, TimeProvider time) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            var snapshot = source.Capture();
            var document = new StatusDocument(time.GetUtcNow(), snapshot.Daemon, snapshot.VirtualServices, log.Recent());
            return Results.Json(document, StatusJsonContext.Default.StatusDocument);
        });
}
