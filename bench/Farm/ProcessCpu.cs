using System.Globalization;

namespace Ipvs.Bench.Farm;

/// <summary>CPU time (utime+stime) of this process, from /proc/self/stat.</summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    public static TimeSpan Now() => Of("/proc/self/stat");

    public static TimeSpan Of(string statPath)
    {
        var text = File.ReadAllText(statPath);
        // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
