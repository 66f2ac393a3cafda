using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Ipvs.Daemon.Web.Guard;

/// <summary>
/// ASP.NET Core matches route literals without regard to case, so <c>POST .../DRAIN</c> found the drain route's
/// sibling and did something. Every literal segment of the matched route must equal the request's segment exactly
/// (ordinal); otherwise the request is answered 404 and no endpoint runs. The method too is matched exactly (HTTP
/// methods are case-sensitive; routing compares them without case): <c>post</c> is not POST (405). It works on
/// whatever route matched, so a route added later gets it without doing anything.
/// </summary>
internal static class StrictRouteMatch
{
    public static bool Matches(RoutePattern pattern, PathString path)
    {
        var text = path.Value ?? "";
        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var literals = pattern.PathSegments;
        for (var i = 0; i < literals.Count && i < segments.Length; i++)
        {
            var parts = literals[i].Parts;
            if (parts.Count == 1 && parts[0] is RoutePatternLiteralPart literal && !string.Equals(literal.Content, segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static bool MethodMatches(IReadOnlyList<string> allowed, string method)
    {
        if (allowed.Count == 0)
        {
            return true;
        }
        foreach (var m in allowed)
        {
            if (string.Equals(m, method, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public static async Task Invoke(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint() is RouteEndpoint endpoint && !Matches(endpoint.RoutePattern, http.Request.Path))
        {
            http.SetEndpoint(null);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods && !MethodMatches(methods.HttpMethods, http.Request.Method))
        {
            http.SetEndpoint(null);
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        await next(http).ConfigureAwait(false);
    }
}
