using System.CommandLine;
using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Cli;

/// <summary><c>validate --config FILE</c>: judges a file as a starting or reloading daemon would, without touching anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config(required: false);
        var cmd = new Command("validate", "Check a config file: types, ranges, duplicates, unknown keys, combinations that cannot work. Prints each problem as file:line:column: field: message; exit 0 when valid, 1 otherwise.")
        {
            config,
        };
        cmd.SetAction(parse => Run(parse.GetValue(config)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    public static int Run(string path, TextWriter output, TextWriter error)
    {
        var result = ConfigLoader.LoadFile(path);
        foreach (var w in result.Warnings)
        {
            error.WriteLine("warning: " + w);
        }
        if (!result.Ok)
        {
            foreach (var p in result.Problems)
            {
                error.WriteLine(p.ToString());
            }
            error.WriteLine($"{path}: {result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}");
            return 1;
        }
        var topology = result.Config!.Topology;
        var rs = topology.VirtualServices.Sum(v => v.RealServers.Count);
        output.WriteLine($"{path}: ok ({topology.VirtualServices.Count} virtual services, {rs} realservers)");
        return 0;
    }
}
