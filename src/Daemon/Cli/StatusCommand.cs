using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Ipvs.Daemon.Cli;

/// <summary><c>status [--json] [--problems] [--service NAME]</c>: the running daemon's view, one line per realserver.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the API's JSON (GET /api/v1/status) as it is." };
        var problems = new Option<bool>("--problems") { Description = "Only realservers that need a look (not up, not ready, flap-damped, or below quorum); the daemon filters." };
        var service = new Option<string?>("--service") { Description = "Only the virtual service with this name; the daemon filters.", HelpName = "NAME" };
        var client = new ClientOptions();
        var cmd = new Command("status", "Show every virtual service and realserver of the running daemon: health, weights (desired and kernel), admin state, last check.") { json, problems, service };
        client.AddTo(cmd, withToken: false);
        cmd.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var c = client.Client(parse, needsToken: false);
            if (c is null)
            {
                return 1;
            }
            var query = new List<string>();
            if (parse.GetValue(problems))
            {
                query.Add("problems=1");
            }
            if (parse.GetValue(service) is { } name)
            {
                query.Add("service=" + Uri.EscapeDataString(name));
            }
            var path = query.Count == 0 ? "api/v1/status" : "api/v1/status?" + string.Join('&', query);
            var reply = await c.SendAsync(HttpMethod.Get, path, error, ct).ConfigureAwait(false);
            if (reply is not { } r)
            {
                return 1;
            }
            if (r.Status != HttpStatusCode.OK)
            {
                error.WriteLine($"status: {(int)r.Status} {r.Body}");
                return 1;
            }
            if (parse.GetValue(json))
            {
                output.WriteLine(r.Body);
                return 0;
            }
            try
            {
                Print(r.Body, output);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                error.WriteLine("status: the daemon's answer is not the expected JSON: " + e.Message);
                return 1;
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Writes the status document as a table an operator reads in a terminal.</summary>
    internal static void Print(string body, TextWriter output)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var daemon = root.GetProperty("daemon");
        output.WriteLine($"ipvs-checkd {daemon.GetProperty("version").GetString()}  table: {daemon.GetProperty("kernel").GetString()}  checks/s: {daemon.GetProperty("checks_per_second").GetDouble():0.#}  lag: {daemon.GetProperty("engine_lag_ms").GetDouble():0.#} ms");
        const string Row = "{0,-26} {1,-10} {2,8} {3,8} {4,-12} {5}";
        foreach (var vs in root.GetProperty("virtual_services").EnumerateArray())
        {
            var rss = vs.GetProperty("realservers");
            // With --problems the list is filtered; the counts are the whole service's.
            var live = vs.TryGetProperty("live_realservers", out var l) ? l.GetInt32() : rss.EnumerateArray().Count(r => r.GetProperty("health").GetString() is "up" or "falling");
            var count = vs.TryGetProperty("realserver_count", out var n) ? n.GetInt32() : rss.GetArrayLength();
            output.WriteLine();
            output.WriteLine($"{vs.GetProperty("name").GetString()}  {vs.GetProperty("key").GetString()}  {vs.GetProperty("scheduler").GetString()}  live {live}/{count}{(vs.GetProperty("quorum_up").GetBoolean() ? "" : "  QUORUM LOST")}{(vs.GetProperty("sorry_server_active").GetBoolean() ? "  sorry server on" : "")}");
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  " + Row, "REALSERVER", "HEALTH", "WANT", "KERNEL", "ADMIN", "LAST CHECK"));
            foreach (var rs in rss.EnumerateArray())
            {
                var address = rs.GetProperty("address").GetString() ?? "";
                var ep = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{rs.GetProperty("port").GetInt32()}" : $"{address}:{rs.GetProperty("port").GetInt32()}";
                var weight = rs.GetProperty("weight");
                var kernel = weight.GetProperty("kernel");
                var last = rs.GetProperty("last_check");
                var lastText = last.ValueKind == JsonValueKind.Null ? "-"
                    : $"{CheckName(rs, last)}{last.GetProperty("result").GetString()} {last.GetProperty("latency_ms").GetDouble():0.#} ms{(last.GetProperty("reason").GetString() is { } why ? " " + why : "")}";
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  " + Row,
                    ep,
                    rs.GetProperty("health").GetString(),
                    weight.GetProperty("desired").GetInt32(),
                    kernel.ValueKind == JsonValueKind.Null ? "-" : kernel.GetInt32().ToString(CultureInfo.InvariantCulture),
                    rs.GetProperty("admin").GetProperty("state").GetString(),
                    lastText));
            }
        }
    }

    /// <summary>With several checks, which one the last result is of ("http /ready: fail ..."); nothing with one.</summary>
    private static string CheckName(JsonElement rs, JsonElement last) =>
        rs.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Array && checks.GetArrayLength() > 1
        && last.TryGetProperty("check", out var name) && name.GetString() is { } n ? n + ": " : "";
}
