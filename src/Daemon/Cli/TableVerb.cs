using System.CommandLine;
using Ipvs.Daemon.Table;

namespace Ipvs.Daemon.Cli;

/// <summary><c>table [--json] [--stats] [--rate]</c>: the kernel's IPVS table, read over netlink.</summary>
internal static class TableVerb
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per virtual service with its destinations (every field ipvsadm -Ln --stats shows)." };
        var stats = new Option<bool>("--stats") { Description = "Counters, as ipvsadm -Ln --stats." };
        var rate = new Option<bool>("--rate") { Description = "Rates, as ipvsadm -Ln --rate." };
        var cmd = new Command("table", "Print the kernel's IPVS table as ipvsadm -Ln does (needs CAP_NET_ADMIN and a kernel with IPVS).") { json, stats, rate };
        cmd.SetAction(parse => TableCommand.Run(
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(json),
            parse.GetValue(stats),
            parse.GetValue(rate)));
        return cmd;
    }
}
