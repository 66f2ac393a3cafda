using System.CommandLine;
using System.Net;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Hosting;
using Ipvs.Engine;

namespace Ipvs.Daemon.Cli;

/// <summary><c>run --config FILE [--listen ADDR:PORT]</c>: the daemon on a director.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config(required: false);
        var listen = CliOptions.Listen("Where the HTTP side listens (overrides the config's listen; default 127.0.0.1:9480).");
        var cmd = new Command("run", "Run the daemon: check every realserver, write weights to the kernel's IPVS table, serve /metrics, /api/v1 and the status page. Reloads on SIGHUP; stops cleanly on SIGTERM.")
        {
            config,
            listen,
        };
        cmd.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(config)!, parse.GetValue(listen), parse.InvocationConfiguration.Error, ct).ConfigureAwait(false));
        return cmd;
    }

    public static async Task<int> RunAsync(string path, IPEndPoint? listen, TextWriter error, CancellationToken ct)
    {
        var loaded = ConfigLoader.LoadFile(path);
        foreach (var w in loaded.Warnings)
        {
            error.WriteLine("warning: " + w);
        }
        if (!loaded.Ok)
        {
            foreach (var p in loaded.Problems)
            {
                error.WriteLine(p.ToString());
            }
            error.WriteLine($"{path}: {loaded.Problems.Count} problem(s); not starting");
            return 1;
        }
        var config = loaded.Config!;
        var needsRaw = config.Topology.VirtualServices.Any(v => v.RealServers.Any(r => r.Checks.Any(c => c.Spec.Kind == "icmp")));
        var missing = Capabilities.Missing(Capabilities.Effective(), needsRaw);
        foreach (var m in missing)
        {
            error.WriteLine((m.Contains("CAP_NET_ADMIN", StringComparison.Ordinal) ? "error: " : "warning: ") + m);
        }
        if (missing.Any(m => m.Contains("CAP_NET_ADMIN", StringComparison.Ordinal)))
        {
            return 1;
        }
        var table = KernelTable.TryOpen(out var why);
        if (table is null)
        {
            error.WriteLine("ipvs-checkd: " + (why == KernelTable.NoIpvsReason ? KernelTable.NoIpvs : why));
            return 1;
        }
        var store = new FileAdminStateStore(Path.Combine(config.StateDir, "admin.json"));
        try
        {
            var app = DaemonHost.Build(new DaemonHostOptions(config, DaemonMode.Run, table, store, listen ?? config.Listen));
            await using (app.ConfigureAwait(false))
            {
                await app.RunAsync().ConfigureAwait(false);
            }
        }
        catch (DescriptorBudgetException e)
        {
            error.WriteLine("ipvs-checkd: " + e.Message);
            return 1;
        }
        finally
        {
            (table as IDisposable)?.Dispose();
        }
        return 0;
    }
}
