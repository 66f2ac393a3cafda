using System.Diagnostics;
using System.Globalization;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench;

/// <summary>
/// One reading of what the engine scenarios report per window, apart from the engine's own counters: this (the
/// engine's) process CPU and the farm process CPU (utime+stime from /proc), and this process's garbage collections
/// (GC.CollectionCount per generation, GC.GetTotalPauseDuration). Two readings make a window.
/// </summary>
internal readonly record struct ProcessMeter(long Timestamp, TimeSpan EngineCpu, TimeSpan FarmCpu, int Gen0, int Gen1, int Gen2, TimeSpan GcPause)
{
    /// <summary>Column titles matching <see cref="Columns"/>.</summary>
    public const string Header = "  eng cpu%  farm cpu%   gc0  gc1  gc2  gc pause";

    public static ProcessMeter Take(FarmProcess farm) => new(Stopwatch.GetTimestamp(), ProcessCpu.Now(), farm.Cpu(),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public TimeSpan Since(ProcessMeter before) => Stopwatch.GetElapsedTime(before.Timestamp, Timestamp);

    /// <summary>CPU of both processes in % of one core, and the collections and GC pause time, between two readings.</summary>
    public string Columns(ProcessMeter before)
    {
        var ms = Math.Max(Since(before).TotalMilliseconds, 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(EngineCpu - before.EngineCpu).TotalMilliseconds / ms * 100,9:F0} {(FarmCpu - before.FarmCpu).TotalMilliseconds / ms * 100,10:F0} {Gen0 - before.Gen0,5} {Gen1 - before.Gen1,4} {Gen2 - before.Gen2,4} {(GcPause - before.GcPause).TotalMilliseconds,7:F1}ms");
    }

    /// <summary>The closing line: CPU of each process, collections and pause time over the measured run.</summary>
    public string Summary(ProcessMeter start, long checks)
    {
        var seconds = Math.Max(Since(start).TotalSeconds, 0.001);
        var engine = EngineCpu - start.EngineCpu;
        var farm = FarmCpu - start.FarmCpu;
        return string.Create(CultureInfo.InvariantCulture,
            $"over {seconds:F0} s: engine process CPU {engine.TotalSeconds:F1} s ({engine.TotalSeconds / seconds * 100:F0}% of a core, {engine.TotalMilliseconds * 1000 / Math.Max(checks, 1):F1} us/check); farm process CPU {farm.TotalSeconds:F1} s ({farm.TotalSeconds / seconds * 100:F0}%); engine GCs gen0 {Gen0 - start.Gen0}, gen1 {Gen1 - start.Gen1}, gen2 {Gen2 - start.Gen2}, pause {(GcPause - start.GcPause).TotalMilliseconds:F0} ms");
    }

    /// <summary>This process's resident set (MiB) and open file descriptors.</summary>
    public static (double RssMiB, int Fds) Footprint()
    {
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64 / 1048576.0, Directory.GetFiles("/proc/self/fd").Length);
    }
}
