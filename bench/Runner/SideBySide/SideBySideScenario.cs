using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// <c>side-by-side scale|detect</c>: ipvs-checkd, keepalived and ldirectord in turn against one realserver farm, in a
/// kernel with IPVS (run it inside the VM: bench/peers/run-in-vm.sh). Prints a table, writes JSON + markdown.
/// </summary>
internal sealed class SideBySideScenario : IScenario
{
    public string Name => "side-by-side";

    public string Description => "scale|detect|flap|starved [--services V --realservers R --interval 2s ...]: ipvs-checkd vs keepalived vs ldirectord (needs IPVS: run in the VM)";

    public Task<int> RunAsync(string[] args)
    {
        SideBySideOptions o;
        try
        {
            o = SideBySideOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine("side-by-side: " + e.Message);
            Console.Error.WriteLine("usage: ipvs-bench side-by-side scale|detect|flap|starved [--services 100] [--realservers 4] [--interval 2s] [--timeout 1s] [--check tcp|http] [--failure refuse|blackhole|hang] [--flap-period 3s] [--fast-interval 1s|150ms] [--down-interval 500ms] [--profile 10s (scale: threads, syscalls per check)] [--rounds 1 (scale: measured runs per checker, taking turns)] [--window 30s] [--settle 2×interval] [--warmup 30s] [--steady-timeout 120s] [--detect-timeout 30s] [--checkers ipvs-checkd,keepalived,ldirectord (or ipvs-checkd-baseline: the build in --baseline DIR)] [--baseline bench/peers/.work/baseline] [--daemon bench/peers/.work/daemon] [--out bench/results]");
            return Task.FromResult(2);
        }
        if (!File.Exists("/proc/net/ip_vs"))
        {
            Console.Error.WriteLine("side-by-side: this kernel has no IPVS table (/proc/net/ip_vs); run it in the VM: bash bench/peers/run-in-vm.sh " + o.Verb);
            return Task.FromResult(1);
        }
        var repo = FindRepo();
        // Configs and checker logs stay on the host after a VM run (the guest's /tmp vanishes); not committed.
        var work = Directory.CreateDirectory(Path.Combine(repo, "bench/peers/.work", $"{o.Verb}-{DateTime.UtcNow:yyyyMMdd-HHmmss}")).FullName;
        var pairs = new List<(IPEndPoint, IPEndPoint)>();
        for (var v = 0; v < o.Services; v++)
        {
            for (var r = 0; r < o.RealServers; r++)
            {
                pairs.Add((SideBySideOptions.Vip(v), o.Rip(v, r)));
            }
        }
        var control = new IPEndPoint(IPAddress.Loopback, 7070);
        var farmCmd = $"dotnet exec {Path.Combine(repo, "bench/Farm/bin/Release/net10.0/ipvs-farm.dll")} --count {o.Total} --protocol {o.Check} --first 127.1.0.1 --port {SideBySideOptions.FarmPort} --control {control} --max-seconds 3600";
        using var farmProcess = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exec {farmCmd} >{work}/farm.out 2>&1"]))!;
        var results = new List<CheckerResult>();
        try
        {
            using var farm = ConnectFarm(control, TimeSpan.FromSeconds(120), farmProcess, Path.Combine(work, "farm.out"));
            var table = new KernelTableWatch(pairs);
            var measure = new CheckerMeasure(o, farm, table, pairs);
            if (o.Warmup is { } warmup)
            {
                // Under TCG a program's first run pays for translating its code (and the kernel paths it drives);
                // later runs reuse that. Each checker runs once, unmeasured, so position in the run does not matter.
                foreach (var name in o.Checkers)
                {
                    KernelTableWatch.Clear();
                    var dir = Directory.CreateDirectory(Path.Combine(work, name + "-warmup")).FullName;
                    using var checker = CheckerProcess.Start(name, o, repo, dir);
                    Console.WriteLine($"{name}: warm-up run, {measure.WarmUp(checker, warmup)}");
                }
            }
            for (var round = 1; round <= o.Rounds; round++)
            foreach (var name in RoundOrder(o.Checkers, round))
            {
                KernelTableWatch.Clear();
                var dir = Directory.CreateDirectory(Path.Combine(work, o.Rounds > 1 ? $"{name}-{round}" : name)).FullName;
                Console.WriteLine($"{name}: {o.Verb} {o.Services} × {o.RealServers} every {o.Interval.TotalSeconds} s{(o.Rounds > 1 ? $" (round {round} of {o.Rounds})" : "")}");
                using var checker = CheckerProcess.Start(name, o, repo, dir);
                var result = new CheckerResult { Checker = name, Command = checker.Command, Round = o.Rounds > 1 ? round : 0 };
                results.Add(result);
                try
                {
                    measure.Run(checker, result);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    result.Error = e.Message;
                }
                Console.WriteLine("  " + SideBySideReport.Line(result));
            }
            farm.Send("quit");
        }
        finally
        {
            KernelTableWatch.Clear();
            if (!farmProcess.WaitForExit(5000))
            {
                farmProcess.Kill(entireProcessTree: true);
            }
        }
        // The report names paths relative to the repository ($WORK: the run's work folder), never this machine's.
        results = [.. results.Select(r => r with { Command = r.Command.Replace(work, "$WORK", StringComparison.Ordinal).Replace(repo + "/", "", StringComparison.Ordinal) })];
        var written = SideBySideReport.Write(o, results, Path.Combine(repo, o.Out));
        Console.WriteLine();
        Console.WriteLine(SideBySideReport.Table(o, results));
        Console.WriteLine($"written: {string.Join(", ", written)}; checker logs and configs in {work}");
        return Task.FromResult(results.All(r => r.Error is null) ? 0 : 1);
    }

    /// <summary>Round r runs the checkers starting with the (r-1)-th one, so none is always first or last.</summary>
    internal static IEnumerable<string> RoundOrder(IReadOnlyList<string> checkers, int round)
    {
        for (var i = 0; i < checkers.Count; i++)
        {
            yield return checkers[(i + round - 1) % checkers.Count];
        }
    }

    /// <summary>
    /// Connects to the farm's control port once it listens. A farm that exited first (e.g. it could not open its
    /// listeners) ends the run at once with the farm's first output line, rather than after the whole limit.
    /// </summary>
    private static FarmClient ConnectFarm(IPEndPoint control, TimeSpan limit, Process farmProcess, string farmOut)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FarmClient(control);
            }
            catch (System.Net.Sockets.SocketException) when (sw.Elapsed < limit && !farmProcess.HasExited)
            {
                Thread.Sleep(250);
            }
            catch (System.Net.Sockets.SocketException) when (farmProcess.HasExited)
            {
                var first = File.Exists(farmOut) ? File.ReadLines(farmOut).FirstOrDefault() : null;
                throw new InvalidOperationException($"the farm exited ({farmProcess.ExitCode}) before its control port answered: {first ?? "(no output)"}");
            }
        }
    }

    /// <summary>The repository root: the nearest folder above the program holding Ipvs.sln (or the current folder).</summary>
    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Ipvs.sln")))
            {
                return d.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    internal static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
}
