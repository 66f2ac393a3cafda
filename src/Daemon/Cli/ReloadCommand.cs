using System.CommandLine;

namespace Ipvs.Daemon.Cli;

/// <summary><c>reload</c>: ask the running daemon to re-read its config (as SIGHUP does), and show what it said.</summary>
internal static class ReloadCommand
{
    public static Command Create()
    {
        var client = new ClientOptions();
        var cmd = new Command("reload", "Ask the running daemon to re-read and apply its config file. A bad file changes nothing; its problems are printed.");
        client.AddTo(cmd, withToken: true);
        cmd.SetAction(async (parse, ct) =>
        {
            using var c = client.Client(parse, needsToken: true);
            return c is null ? 1 : await c.AdminAsync("api/v1/reload", "reload", parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false);
        });
        return cmd;
    }
}
