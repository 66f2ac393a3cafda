using Ipvs.Daemon.Web.Metrics;
using Ipvs.Daemon.Web.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// POST endpoints that change state. Every one checks the bearer token first and does nothing else without it
/// (401). Routes and bodies: docs/api.md. The verbs are literal routes, one per state, so a verb is matched exactly
/// like every other literal (<see cref="Guard.StrictRouteMatch"/>): <c>DRAIN</c> is no route (404), never a default.
/// </summary>
internal static class AdminEndpoints
{
    private static readonly (string Verb, AdminState State)[] Verbs =
        [("drain", AdminState.Drain), ("ready", AdminState.Ready), ("maintenance", AdminState.Maintenance)];

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").AddEndpointFilter(RequireToken);
        foreach (var (verb, state) in Verbs)
        {
            group.MapPost($"/virtual-services/{{vs}}/realservers/{{rs}}/{verb}",
                (HttpContext http, string vs, string rs, IAdminActions admin) => SetRealServerState(http, vs, rs, state, admin));
            group.MapPost($"/hosts/{{host}}/{verb}",
                (HttpContext http, string host, IAdminActions admin) => SetHostState(http, host, state, admin));
        }
        group.MapPost("/virtual-services/{vs}/realservers/{rs}/weight", SetWeight);
        group.MapPost("/virtual-services/{vs}/release-hold", ReleaseHold);
        group.MapPost("/release-holds", ReleaseAllHolds);
        group.MapPost("/reload", Reload);
    }

    private static async ValueTask<object?> RequireToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = http.RequestServices.GetRequiredService<AdminToken>();
        if (!token.Accepts(http.Request.Headers.Authorization.ToString()))
        {
            http.RequestServices.GetRequiredService<IpvsMetrics>().AuthFailures.Inc();
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var why = token.IsConfigured ? "missing or invalid bearer token" : "admin API disabled: no usable admin_token_file";
            return Results.Json(new AdminResponse(false, 0, why), StatusJsonContext.Default.AdminResponse, statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context);
    }

    private static IResult SetRealServerState(HttpContext http, string vs, string rs, AdminState state, IAdminActions admin)
    {
        if (!StrictAddress.TryParseEndPoint(rs, out var endPoint))
        {
            return BadRequest($"realserver '{rs}' is not ADDRESS:PORT (a.b.c.d:port or [ipv6]:port)");
        }
        return Reply(admin.SetAdminState(vs, endPoint, state, Who(http)));
    }

    private static IResult SetHostState(HttpContext http, string host, AdminState state, IAdminActions admin)
    {
        if (!StrictAddress.TryParseAddress(host, out var address))
        {
            return BadRequest($"host '{host}' is not an IP address (a.b.c.d or ipv6)");
        }
        return Reply(admin.SetHostAdminState(address, state, Who(http)));
    }

    private static async Task<IResult> SetWeight(HttpContext http, string vs, string rs, IAdminActions admin)
    {
        if (!StrictAddress.TryParseEndPoint(rs, out var endPoint))
        {
            return BadRequest($"realserver '{rs}' is not ADDRESS:PORT (a.b.c.d:port or [ipv6]:port)");
        }
        var body = await ReadBody(http.Request, WeightBody.MaxBytes, http.RequestAborted);
        if (body is null)
        {
            return Results.Json(new AdminResponse(false, 0, $"body is larger than {WeightBody.MaxBytes} bytes"), StatusJsonContext.Default.AdminResponse,
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (WeightBody.TryParse(body, out var weight) is { } problem)
        {
            return BadRequest(problem);
        }
        return Reply(admin.SetWeightOverride(vs, endPoint, weight, Who(http)));
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static IResult ReleaseHold(HttpContext http, string vs, IAdminActions admin) =>
        Reply(admin.ReleaseMassFailureHold(vs, Who(http)));

    private static IResult ReleaseAllHolds(HttpContext http, IAdminActions admin) =>
        Reply(admin.ReleaseMassFailureHold(null, Who(http)));

    private static async Task<IResult> Reload(HttpContext http, IAdminActions admin) =>
        Reply(await admin.ReloadAsync(http.RequestAborted), failureStatus: StatusCodes.Status422UnprocessableEntity);

    private static string Who(HttpContext http) => $"api {http.Connection.RemoteIpAddress}";

    private static IResult BadRequest(string why) =>
        Results.Json(new AdminResponse(false, 0, why), StatusJsonContext.Default.AdminResponse, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Reply(AdminResult result, int failureStatus = StatusCodes.Status409Conflict)
    {
        var status = result.Succeeded ? StatusCodes.Status200OK
            : result.NotFound ? StatusCodes.Status404NotFound
            : result.NotSaved ? StatusCodes.Status503ServiceUnavailable
            : failureStatus;
        return Results.Json(new AdminResponse(result.Succeeded, result.Affected, result.Error, !result.NotSaved), StatusJsonContext.Default.AdminResponse, statusCode: status);
    }
}
