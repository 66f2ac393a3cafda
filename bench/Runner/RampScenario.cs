using System.Globalization;
using Ipvs.Bench.SideBySide;

namespace Ipvs.Bench;

/// <summary>
/// `ipvs-bench side-by-side-ramp --interval 1s [--check tcp] [--in DIR]`: joins every side-by-side scale report of
/// one interval into one table (bench/peers/ramp.sh runs the sizes, then this).
/// </summary>
internal sealed class RampScenario : IScenario
{
    public string Name => "side-by-side-ramp";

    public string Description => "--interval 1s [--check tcp|http] [--in bench/results]: one table over every side-by-side scale report of that interval (bench/peers/ramp.sh)";

    public Task<int> RunAsync(string[] args)
    {
        string dir = "bench/results", check = "tcp";
        double? interval = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--in": dir = args[i + 1]; break;
                case "--check": check = args[i + 1]; break;
                case "--interval":
                    var v = args[i + 1].TrimEnd('s');
                    interval = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;
                    break;
                default: interval = null; i = args.Length; break;
            }
        }
        if (args.Length % 2 != 0 || interval is null || !Directory.Exists(dir) || check is not ("tcp" or "http"))
        {
            Console.Error.WriteLine("usage: ipvs-bench side-by-side-ramp --interval 1s [--check tcp|http] [--in bench/results]");
            return Task.FromResult(2);
        }
        var written = SideBySideRamp.Write(dir, interval.Value, check);
        if (written is null)
        {
            Console.Error.WriteLine($"side-by-side-ramp: no side-by-side scale report at {interval.Value.ToString(CultureInfo.InvariantCulture)} s ({check}) in {dir}");
            return Task.FromResult(1);
        }
        Console.WriteLine(File.ReadAllText(written));
        Console.WriteLine("written: " + written);
        return Task.FromResult(0);
    }
}
