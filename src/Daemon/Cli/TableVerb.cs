using System.CommandLine;
using System.Net;
using System.Text.Json;
using Ipvs.Daemon.Table;

namespace Ipvs.Daemon.Cli;

/// <summary>
/// <c>table [--json] [--stats] [--rate]</c>: the kernel's IPVS table, read over netlink; when a daemon answers at
/// the config's listen address (or --url), its health and admin state join in.
/// </summary>
internal static class TableVerb
{
    /// <summary>The daemon gets less time here than for <c>status</c>: the table is worth printing without it.</summary>
    private const double DaemonSeconds = 3;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per virtual service with its destinations (every field ipvsadm -Ln --stats shows)." };
        var stats = new Option<bool>("--stats") { Description = "Counters, as ipvsadm -Ln --stats." };
        var rate = new Option<bool>("--rate") { Description = "Rates, as ipvsadm -Ln --rate." };
        var noDaemon = new Option<bool>("--no-daemon") { Description = "The kernel table alone: do not ask a running daemon for health and admin state." };
        var client = new ClientOptions();
        client.Timeout.DefaultValueFactory = _ => DaemonSeconds;
        client.Timeout.Description = $"Seconds a running daemon has to answer (default {DaemonSeconds}); without an answer the kernel table is printed alone.";
        var cmd = new Command("table", "Print the kernel's IPVS table as ipvsadm -Ln does (needs CAP_NET_ADMIN and a kernel with IPVS); with a daemon running, its health and admin state per realserver join in.")
        {
            json, stats, rate, noDaemon,
        };
        client.AddTo(cmd, withToken: false);
        cmd.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var daemon = parse.GetValue(noDaemon) ? null : await AskDaemonAsync(client, parse, error, ct).ConfigureAwait(false);
            return TableCommand.Run(parse.InvocationConfiguration.Output, error, parse.GetValue(json), parse.GetValue(stats), parse.GetValue(rate), daemon);
        });
        return cmd;
    }

    /// <summary>The daemon's status, or null with one line on stderr saying why the columns are missing.</summary>
    private static async Task<DaemonView?> AskDaemonAsync(ClientOptions client, ParseResult parse, TextWriter error, CancellationToken ct)
    {
        var why = new StringWriter();
        using var c = client.Client(parse, needsToken: false, why);
        if (c is not null)
        {
            var reply = await c.SendAsync(HttpMethod.Get, "api/v1/status", why, ct).ConfigureAwait(false);
            if (reply is { Status: HttpStatusCode.OK } r)
            {
                try
                {
                    return DaemonView.Parse(r.Body, c.BaseAddress.ToString());
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    why.WriteLine($"the answer of {c.BaseAddress} is not a status document: {e.Message}");
                }
            }
            else if (reply is { } bad)
            {
                why.WriteLine($"{c.BaseAddress}api/v1/status answered {(int)bad.Status}");
            }
        }
        error.WriteLine($"table: without health and admin columns: {why.ToString().Trim()}");
        return null;
    }
}
