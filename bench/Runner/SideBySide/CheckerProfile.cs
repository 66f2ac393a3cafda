using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// <c>--profile SECONDS</c>: after a checker's window, three phases of that length, each divided by the checks the farm
/// accepted during it. (1) untraced: CPU (user, system) and context switches (voluntary, involuntary) of every thread of
/// the checker's tree, from /proc/PID/task/*; (2) <c>perf stat</c>: syscalls (raw_syscalls:sys_enter) and context
/// switches, a tracepoint count that barely slows the checker; (3) <c>perf record</c>: the checker's hottest
/// functions, kernel and user; (4) <c>strace -c -f</c>: calls per syscall (ptrace slows the checker, so only its
/// counts are used, not its times; a loop that batches work per pass gets smaller batches under it). With an hpet clocksource (the VM's: TSC is
/// unstable under TCG) the vDSO cannot read the clock, so every precise clock read shows up as a clock_gettime syscall.
/// </summary>
internal static class CheckerProfile
{
    private const double TicksPerSecond = 100;

    public static string Run(int root, TimeSpan length, Func<long> connections, string dir)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var pids = ProcessTreePids(root);
        var clock = ReadOr("/sys/devices/system/clocksource/clocksource0/current_clocksource", "?").Trim();
        text.AppendLine(inv, $"profile: pids {string.Join(',', pids)}, clocksource {clock}, {length.TotalSeconds:F0} s per phase");

        // (1) Threads, untraced.
        var before = Threads(pids);
        var c0 = connections();
        Thread.Sleep(length);
        var checks = connections() - c0;
        var after = Threads(pids);
        text.AppendLine(inv, $"threads ({checks} checks): per check µs user / µs system / voluntary / involuntary switches");
        double su = 0, ss = 0, sv = 0, sn = 0;
        foreach (var (tid, a) in after.OrderBy(t => t.Key))
        {
            var b = before.GetValueOrDefault(tid, (a.Name, 0, 0, 0, 0));
            var (u, s, v, n) = (a.User - b.User, a.Sys - b.Sys, a.Vol - b.Vol, a.Invol - b.Invol);
            su += u; ss += s; sv += v; sn += n;
            if (u + s + v + n > 0)
            {
                text.AppendLine(inv, $"  {tid,7} {a.Name,-18} {PerCheckUs(u, checks),9:F1} {PerCheckUs(s, checks),9:F1} {v / (double)Math.Max(1, checks),7:F3} {n / (double)Math.Max(1, checks),7:F3}");
            }
        }
        text.AppendLine(inv, $"  {"all",7} {after.Count + " threads",-18} {PerCheckUs(su, checks),9:F1} {PerCheckUs(ss, checks),9:F1} {sv / Math.Max(1, checks),7:F3} {sn / Math.Max(1, checks),7:F3}");

        // (2) perf stat: the syscall total without ptrace.
        c0 = connections();
        var perf = Tool("perf", ["stat", "-x", ",", "-e", "raw_syscalls:sys_enter,context-switches", "-p", string.Join(',', pids), "--", "sleep", Secs(length)], length);
        checks = connections() - c0;
        text.AppendLine(inv, $"perf stat ({checks} checks): per check");
        foreach (var line in perf.Split('\n'))
        {
            var f = line.Split(',');
            if (f.Length > 3 && double.TryParse(f[0], NumberStyles.Float, inv, out var count))
            {
                text.AppendLine(inv, $"  {f[2],-26} {count / Math.Max(1, checks),8:F2}");
            }
        }

        // (3) perf record: where the CPU goes, kernel and user (.NET code is named when the checker writes a perf map:
        // DOTNET_PerfMapEnabled=1 in its environment).
        var data = Path.Combine(dir, "perf.data");
        Tool("perf", ["record", "-q", "-F", "499", "-g", "-o", data, "-p", string.Join(',', pids), "--", "sleep", Secs(length)], length);
        var report = Tool("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", "dso,sym", "--percent-limit", "0.7", "-g", "none"], length);
        text.AppendLine("perf record (share of the checker's samples, >= 0.7 %):");
        foreach (var line in report.Split('\n'))
        {
            if (line.Contains('%', StringComparison.Ordinal) && !line.TrimStart().StartsWith('#'))
            {
                text.AppendLine("  " + line.Trim());
            }
        }

        // (4) strace -c: which syscalls.
        var file = Path.Combine(dir, "strace-c.txt");
        var args = new List<string> { "-s", "INT", Secs(length), "strace", "-c", "-f", "-qq", "-o", file };
        foreach (var p in pids)
        {
            args.Add("-p");
            args.Add(p.ToString(inv));
        }
        c0 = connections();
        Tool("timeout", args, length);
        checks = connections() - c0;
        text.AppendLine(inv, $"strace -c -f ({checks} checks, slowed by ptrace): calls per check");
        foreach (var line in ReadOr(file, "").Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 5 && double.TryParse(f[0], NumberStyles.Float, inv, out _) && long.TryParse(f[3], NumberStyles.None, inv, out var calls))
            {
                var errors = f.Length >= 6 ? f[4] : "0";
                text.AppendLine(inv, $"  {f[^1],-18} {calls / (double)Math.Max(1, checks),8:F3}  (errors {errors})");
            }
        }
        File.WriteAllText(Path.Combine(dir, "profile.txt"), text.ToString());
        return text.ToString();
    }

    private static double PerCheckUs(double ticks, long checks) => ticks / TicksPerSecond * 1e6 / Math.Max(1, checks);

    private static string Secs(TimeSpan t) => ((int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string ReadOr(string path, string fallback)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return fallback;
        }
    }

    /// <summary>Runs a tool for about <paramref name="length"/>; its stdout and stderr together.</summary>
    private static string Tool(string file, IEnumerable<string> args, TimeSpan length)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(length + TimeSpan.FromSeconds(30)))
            {
                p.Kill(entireProcessTree: true);
            }
            return output.Result + err.Result;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{file}: {e.Message}";
        }
    }

    private static List<int> ProcessTreePids(int root)
    {
        var pids = new List<int> { root };
        for (var i = 0; i < pids.Count; i++)
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pids[i]}/task"))
            {
                foreach (var child in ReadOr(task + "/children", "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    pids.Add(int.Parse(child, CultureInfo.InvariantCulture));
                }
            }
        }
        return pids;
    }

    private static Dictionary<int, (string Name, long User, long Sys, long Vol, long Invol)> Threads(List<int> pids)
    {
        var all = new Dictionary<int, (string, long, long, long, long)>();
        foreach (var pid in pids)
        {
            IEnumerable<string> tasks;
            try
            {
                tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var task in tasks)
            {
                try
                {
                    var stat = File.ReadAllText(task + "/stat");
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    long vol = 0, invol = 0;
                    foreach (var line in File.ReadLines(task + "/status"))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            vol = long.Parse(line.Split('\t', ' ').Last(), CultureInfo.InvariantCulture);
                        }
                        else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            invol = long.Parse(line.Split('\t', ' ').Last(), CultureInfo.InvariantCulture);
                        }
                    }
                    var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                    all[tid] = ($"{pid}/{name}", long.Parse(rest[11], CultureInfo.InvariantCulture), long.Parse(rest[12], CultureInfo.InvariantCulture), vol, invol);
                }
                catch (Exception e) when (e is IOException or FormatException)
                {
                }
            }
        }
        return all;
    }
}
