using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// <c>GET /api/v1/status</c>: read-only, no token needed, nothing secret in it (no check credentials). Filters
/// <c>?problems=1</c> and <c>?service=NAME</c> (<see cref="StatusFilter"/>); a weak ETag (<see cref="StateTag"/>), so a
/// poll with <c>If-None-Match</c> of an unchanged view is answered 304 without building the JSON; gzip when accepted.
/// </summary>
internal static class StatusEndpoints
{
    // A RequestDelegate, typed as one: the Native AOT request-delegate generator otherwise intercepts this MapGet as
    // the Delegate overload and the publish fails (CS9144).
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/status", Handler);

    private static readonly RequestDelegate Handler = async http =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.Vary = "Accept-Encoding";
            var filter = StatusFilter.From(http.Request.Query, out var error);
            if (filter is null)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new Admin.AdminResponse(false, 0, error), StatusJsonContext.Default.AdminResponse).ConfigureAwait(false);
                return;
            }
            var services = http.RequestServices;
            var snapshot = services.GetRequiredService<IStatusSource>().Capture();
            var shown = filter.Apply(snapshot.VirtualServices, out var summary);
            if (filter.Service is { } name && shown.Count == 0 && !filter.ProblemsOnly)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsJsonAsync(new Admin.AdminResponse(false, 0, $"no virtual service '{name}'"), StatusJsonContext.Default.AdminResponse).ConfigureAwait(false);
                return;
            }
            var recent = services.GetRequiredService<TransitionLog>().Recent();
            var tag = StateTag.Of(filter, summary, snapshot.Daemon, shown, recent);
            http.Response.Headers.ETag = tag;
            if (Matches(http.Request.Headers.IfNoneMatch, tag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            var document = new StatusDocument(services.GetRequiredService<TimeProvider>().GetUtcNow(), snapshot.Daemon, shown, recent, summary);
            var json = JsonSerializer.SerializeToUtf8Bytes(document, StatusJsonContext.Default.StatusDocument);
            http.Response.ContentType = "application/json; charset=utf-8";
            if (HttpEncoding.AcceptsGzip(http.Request))
            {
                http.Response.Headers.ContentEncoding = "gzip";
                json = Gzip(json);
            }
            http.Response.ContentLength = json.Length;
            await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
        };

    /// <summary>Weak comparison (RFC 9110 §13.1.2): a listed tag matches with or without its W/ prefix; * matches.</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string tag)
    {
        var opaque = tag[2..];
        foreach (var value in ifNoneMatch)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var t = part.Trim();
                if (t == "*" || t == tag || t == opaque)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 6 + 64);
        using (var zip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(body);
        }
        return output.ToArray();
    }
}
