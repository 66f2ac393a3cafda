using System.Net;
using System.Text.Json;
using Ipvs.Daemon.Web.Metrics;
using Ipvs.Daemon.Web.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// POST endpoints that change state. Every one checks the bearer token first and does nothing else without it
/// (401). Routes and bodies: docs/api.md.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").AddEndpointFilter(RequireToken);
        group.MapPost("/virtual-services/{vs}/realservers/{rs}/{action:regex(^(drain|ready|maintenance)$)}", SetRealServerState);
        group.MapPost("/hosts/{host}/{action:regex(^(drain|ready|maintenance)$)}", SetHostState);
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

    private static IResult SetRealServerState(HttpContext http, string vs, string rs, string action, IAdminActions admin)
    {
        if (!IPEndPoint.TryParse(rs, out var endPoint))
        {
            return BadRequest($"realserver '{rs}' is not ADDRESS:PORT");
        }
        return Reply(admin.SetAdminState(vs, endPoint, ParseState(action), Who(http)));
    }

    private static IResult SetHostState(HttpContext http, string host, string action, IAdminActions admin)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            return BadRequest($"host '{host}' is not an IP address");
        }
        return Reply(admin.SetHostAdminState(address, ParseState(action), Who(http)));
    }

    private static async Task<IResult> SetWeight(HttpContext http, string vs, string rs, IAdminActions admin)
    {
        if (!IPEndPoint.TryParse(rs, out var endPoint))
        {
            return BadRequest($"realserver '{rs}' is not ADDRESS:PORT");
        }
        WeightRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, StatusJsonContext.Default.WeightRequest, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return BadRequest($"body is not {{\"weight\": N}}: {e.Message}");
        }
        if (body is null)
        {
            return BadRequest("body is not {\"weight\": N}");
        }
        if (body.Weight is < 0 or > 65535)
        {
            return BadRequest($"weight {body.Weight} is outside 0..65535");
        }
        return Reply(admin.SetWeightOverride(vs, endPoint, body.Weight, Who(http)));
    }

    private static IResult ReleaseHold(HttpContext http, string vs, IAdminActions admin) =>
        Reply(admin.ReleaseMassFailureHold(vs, Who(http)));

    private static IResult ReleaseAllHolds(HttpContext http, IAdminActions admin) =>
        Reply(admin.ReleaseMassFailureHold(null, Who(http)));

    private static async Task<IResult> Reload(HttpContext http, IAdminActions admin) =>
        Reply(await admin.ReloadAsync(http.RequestAborted), failureStatus: StatusCodes.Status422UnprocessableEntity);

    private static AdminState ParseState(string action) => action switch
    {
        "drain" => AdminState.Drain,
        "maintenance" => AdminState.Maintenance,
        _ => AdminState.Ready,
    };

    private static string Who(HttpContext http) => $"api {http.Connection.RemoteIpAddress}";

    private static IResult BadRequest(string why) =>
        Results.Json(new AdminResponse(false, 0, why), StatusJsonContext.Default.AdminResponse, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Reply(AdminResult result, int failureStatus = StatusCodes.Status409Conflict)
    {
        var status = result.Succeeded ? StatusCodes.Status200OK : result.NotFound ? StatusCodes.Status404NotFound : failureStatus;
        return Results.Json(new AdminResponse(result.Succeeded, result.Affected, result.Error), StatusJsonContext.Default.AdminResponse, statusCode: status);
    }
}
