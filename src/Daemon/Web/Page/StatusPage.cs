using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ipvs.Daemon.Web.Page;

/// <summary>
/// The status page at <c>/</c>: one HTML file, one script and one style sheet embedded in the assembly (no CDN,
/// works on an air-gapped director). The script polls <c>/api/v1/status</c> every second.
/// </summary>
internal static class StatusPage
{
    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/assets/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    // The page loads nothing from elsewhere and frames nothing: say so, so a browser enforces it.
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (path, resource, contentType) in Assets)
        {
            var bytes = Load(resource);
            app.MapGet(path, (HttpContext http) =>
            {
                http.Response.Headers.ContentSecurityPolicy = Policy;
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }
    }

    private static byte[] Load(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("Ipvs.Daemon.Web.Page." + name)
            ?? throw new InvalidOperationException($"status page asset {name} is not embedded in {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
