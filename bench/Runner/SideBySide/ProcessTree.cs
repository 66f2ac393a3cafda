using System.Diagnostics;
using System.Globalization;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// CPU (utime+stime, plus cutime+cstime of reaped children such as ldirectord's forks and ipvsadm runs) and RSS of a
/// checker's whole process tree, from /proc.
/// </summary>
internal static class ProcessTree
{
    private const double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    public static TimeSpan Cpu(int root)
    {
        long ticks = 0;
        foreach (var (_, stat) in Tree(root))
        {
            ticks += stat[11] + stat[12]; // utime, stime
            ticks += stat[13] + stat[14]; // cutime, cstime: children this process reaped
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Sum of VmRSS over the tree, bytes.</summary>
    public static long Rss(int root)
    {
        long kb = 0;
        foreach (var (pid, _) in Tree(root))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        kb += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // the process ended between the listing and the read
            }
        }
        return kb * 1024;
    }

    /// <summary>The root and its live descendants with their parsed stat fields (index 0 = state).</summary>
    private static List<(int Pid, long[] Stat)> Tree(int root)
    {
        var all = new Dictionary<int, (int Ppid, long[] Stat)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var text = File.ReadAllText(dir + "/stat");
                var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                var fields = new long[15];
                for (var i = 1; i < fields.Length; i++)
                {
                    fields[i] = long.Parse(rest[i], CultureInfo.InvariantCulture);
                }
                all[pid] = ((int)fields[1], fields);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
            }
        }
        var result = new List<(int, long[])>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var p))
        {
            if (!all.TryGetValue(p, out var entry))
            {
                continue;
            }
            result.Add((p, entry.Stat));
            foreach (var (child, e) in all)
            {
                if (e.Ppid == p)
                {
                    queue.Enqueue(child);
                }
            }
        }
        return result;
    }

    /// <summary>Runs a short tool (60 s deadline), output discarded.</summary>
    public static void RunQuiet(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
        }
    }
}
