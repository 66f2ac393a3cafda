using System.Diagnostics;
using System.Globalization;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// The checker's own threads in this process — the engine's scheduler ("ipvs-engine") and the probes' epoll loop
/// ("ipvs-checks") — found by name in /proc/self/task and moved to the SCHED_IDLE class, so that busy processes at
/// normal priority really starve them: a nice value alone barely delays a thread that mostly sleeps, because the
/// scheduler favours it at each wake-up. Scheduling classes are per thread on Linux. <see cref="Dispose"/> puts them
/// back to SCHED_OTHER, which needs root or CAP_SYS_NICE (or an RLIMIT_NICE that allows it); without them the threads
/// stay idle-class, which only matters while something else keeps every core busy.
/// </summary>
internal sealed class CheckerThreads : IDisposable
{
    // The engine's thread, its probe loops ("ipvs-probe", or "ipvs-probe-N" with several) and the standalone loop.
    private static readonly string[] Names = ["ipvs-engine", "ipvs-checks"];

    private static bool IsChecker(string name) => Array.IndexOf(Names, name) >= 0 || name.StartsWith("ipvs-probe", StringComparison.Ordinal);
    private readonly List<(int Tid, string Name)> _threads = [];

    private CheckerThreads()
    {
    }

    public IReadOnlyList<(int Tid, string Name)> Threads => _threads;

    /// <summary>Null when every thread was moved, else what chrt said.</summary>
    public string? SetupProblem { get; private set; }

    public string? RestoreProblem { get; private set; }

    public static CheckerThreads MakeIdle()
    {
        var t = new CheckerThreads();
        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                if (IsChecker(name))
                {
                    t._threads.Add((int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture), name));
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        foreach (var (tid, _) in t._threads)
        {
            t.SetupProblem ??= Chrt("--idle", tid);
        }
        return t;
    }

    public void Dispose()
    {
        foreach (var (tid, _) in _threads)
        {
            RestoreProblem ??= Chrt("--other", tid);
        }
    }

    private static string? Chrt(string policy, int tid)
    {
        var info = new ProcessStartInfo("chrt") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { policy, "-p", "0", tid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            return "chrt did not finish";
        }
        return p.ExitCode == 0 ? null : $"chrt {policy} -p 0 {tid}: exit {p.ExitCode}: {error.Result.Trim()}";
    }
}
