using Ipvs.Bench.SideBySide;

namespace Ipvs.Bench;

/// <summary>`ipvs-bench plot [--in DIR]`: draws the PNG plots of every side-by-side report JSON in DIR again.</summary>
internal sealed class PlotScenario : IScenario
{
    public string Name => "plot";

    public string Description => "redraw the PNG plots of the side-by-side reports in bench/results (or --in DIR)";

    public Task<int> RunAsync(string[] args)
    {
        string dir = args.Length == 2 && args[0] == "--in" ? args[1] : "bench/results";
        if (args.Length is not (0 or 2) || !Directory.Exists(dir))
        {
            Console.Error.WriteLine($"usage: ipvs-bench plot [--in DIR]   ({dir}: no such directory)");
            return Task.FromResult(2);
        }
        foreach (var png in SideBySidePlots.WriteAll(dir))
        {
            Console.WriteLine("written: " + png);
        }
        return Task.FromResult(0);
    }
}
