using System.Text;
using System.Text.Json;

namespace Ipvs.Bench.SideBySide;

/// <summary>The side-by-side table (console + markdown) and the JSON of every figure.</summary>
internal static class SideBySideReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Line(CheckerResult r) => r.Error is { } e
        ? $"error: {e}"
        : $"{F(r.ChecksPerSecond)} checks/s, CPU {F(r.CpuPercent)} %, RSS {F(r.RssMiB)} MiB, steady {(r.SteadySeconds is { } s ? F(s) + " s" : "not reached")}" +
          (r.DetectSeconds.Count + r.DetectMissed > 0 ? $", detect p95 {F(P(r.DetectSeconds, 0.95), "F2")} s, recover p95 {F(P(r.RecoverSeconds, 0.95), "F2")} s" : "");

    public static string Table(SideBySideOptions o, List<CheckerResult> results)
    {
        var sb = new StringBuilder();
        string extra = o.Verb switch
        {
            "flap" => " kernel edits per flapping realserver per minute |",
            "starved" => " largest lag reported s |",
            _ => "",
        };
        sb.Append($"| checker | checks/s held (of {F(o.Total / o.Interval.TotalSeconds)}) | real interval s | CPU % | CPU % per 1,000 checks/s | RSS MiB | steady state s | detection p50/p95/max s | recovery p50/p95/max s | false downs | kernel edits/s at steady | farm CPU % |{extra}\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|---|" + (extra.Length > 0 ? "---|" : "") + "\n");
        foreach (var r in results)
        {
            if (r.Error is not null && r.WindowSeconds == 0)
            {
                sb.Append($"| {Label(r)} | did not run: {r.Error.Replace('|', '/')} |||||||||||\n");
                continue;
            }
            sb.Append($"| {Label(r)} | {F(r.ChecksPerSecond)} | {F(r.EffectiveIntervalSeconds, "F2")} | {F(r.CpuPercent)} | {F(r.CpuPercentPer1000ChecksPerSecond)} | {F(r.RssMiB)} | ");
            sb.Append(r.SteadySeconds is { } s ? F(s) : $"not reached in {F(o.SteadyTimeout.TotalSeconds, "F0")} ({r.DestsAtFullWeight}/{o.Total})");
            sb.Append($" | {Dist(r.DetectSeconds, r.DetectMissed, o)} | {Dist(r.RecoverSeconds, r.RecoverMissed, o)} | {r.FalseDowns} | {F(r.KernelEditsPerSecond, "F2")} | {F(r.FarmCpuPercent)} |");
            sb.Append(o.Verb switch
            {
                "flap" => r.FlapServers > 0 && r.FlapSeconds > 0 ? $" {F(r.FlapEdits * 60.0 / r.FlapServers / r.FlapSeconds, "F2")} |" : " — |",
                "starved" => r.LagMaxSeconds is { } lag ? $" {(r.LagMaxIsUpperBound ? "≤ " : "")}{F(lag, "F3")} |" : " (no lag metric) |",
                _ => "",
            });
            sb.Append('\n');
        }
        if (results.Any(r => r.Round > 0))
        {
            sb.Append('\n').Append(RoundsSummary(results));
        }
        return sb.ToString();
    }

    private static string Label(CheckerResult r) => r.Round > 0 ? $"{r.Checker} (round {r.Round})" : r.Checker;

    /// <summary>
    /// With --rounds: per checker the median (and range) over its rounds, and the median of its per-round ratios to
    /// keepalived's CPU per check: neighbouring windows share the VM's speed of the moment, so the ratio within a
    /// round is steadier than either figure alone.
    /// </summary>
    internal static string RoundsSummary(List<CheckerResult> results)
    {
        var ok = results.Where(r => r.Error is null && r.WindowSeconds > 0).ToList();
        var sb = new StringBuilder("| checker | rounds | CPU % per 1,000 checks/s: median (min–max) | checks/s held: median | farm CPU %: median | CPU per check ÷ keepalived's in the same round: median (min–max) |\n|---|---|---|---|---|---|\n");
        foreach (var g in ok.GroupBy(r => r.Checker))
        {
            var cpu = g.Select(r => r.CpuPercentPer1000ChecksPerSecond).ToList();
            var ratios = g.Select(r => ok.FirstOrDefault(k => k.Checker == "keepalived" && k.Round == r.Round) is { CpuPercentPer1000ChecksPerSecond: > 0 } k
                    ? r.CpuPercentPer1000ChecksPerSecond / k.CpuPercentPer1000ChecksPerSecond : double.NaN)
                .Where(x => !double.IsNaN(x)).ToList();
            sb.Append($"| {g.Key} | {g.Count()} | {F(Median(cpu))} ({F(cpu.Min())}–{F(cpu.Max())}) | {F(Median(g.Select(r => r.ChecksPerSecond).ToList()))} | {F(Median(g.Select(r => r.FarmCpuPercent).ToList()))} | ");
            sb.Append(ratios.Count == 0 ? "— |\n" : $"{F(Median(ratios), "F2")} ({F(ratios.Min(), "F2")}–{F(ratios.Max(), "F2")}) |\n");
        }
        return sb.ToString();
    }

    internal static double Median(List<double> v)
    {
        var sorted = v.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static List<string> Write(SideBySideOptions o, List<CheckerResult> results, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var stem = Path.Combine(outDir, o.Stem);
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(new { options = o, results }, Json));
        var md = new StringBuilder();
        string kind = o.Check == "http" ? "HTTP GET / (status 200)" : "TCP connect";
        md.Append($"# side-by-side {o.Verb}: {o.Services} virtual services × {o.RealServers} realservers, {kind} checks every {F(o.Interval.TotalSeconds, "F0")} s (timeout {F(o.Timeout.TotalSeconds, "F0")} s)"
            + (o.DownIntervalText is { } down ? $"; ipvs-checkd checks a down realserver every {down} (down_interval), the peers at the interval" : "") + "\n\n");
        if (o.DownIntervalText is { } downNote)
        {
            md.Append($"Every checker checks an up realserver every {F(o.Interval.TotalSeconds, "F0")} s. ipvs-checkd alone checks a realserver it has taken down every {downNote} (`down_interval: {downNote}`, HAProxy's downinter); keepalived and ldirectord have no such key and check it at the interval. The recovery column shows what that buys; the other columns are the same configuration as without it.\n\n");
        }
        md.Append($"Taken {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC inside the IPVS VM (qemu TCG, 2 vCPUs): compare the rows with each other only, never with host figures."
            + (Environment.GetEnvironmentVariable("BENCH_HOST_LOAD") is { Length: > 0 } load ? $" Host load average (1/5/15 min) when the VM started: {load}." : "")
            + (Environment.GetEnvironmentVariable("BENCH_COMMIT") is { Length: > 0 } commit ? $" ipvs-checkd built from commit {commit}." : "") + "\n\n");
        md.Append(Table(o, results));
        md.Append("\nColumns: checks/s = connections the farm accepted per second over the sampling window ");
        md.Append($"({F(o.Window.TotalSeconds, "F0")} s, starting {F(o.SettleTime.TotalSeconds, "F0")} s after steady state{(o.Warmup is { } wu ? $"; every checker first ran once unmeasured, to steady state plus {F(wu.TotalSeconds, "F0")} s" : "")}); real interval = realservers ÷ checks/s; CPU = utime+stime of the checker's process tree ");
        md.Append("(incl. reaped children: ldirectord's and keepalived's forks, ipvsadm runs) over the window, % of one CPU; RSS = largest sum of VmRSS over the tree; ");
        md.Append("steady state = start until every realserver is in /proc/net/ip_vs at weight 1; detection = 10% of realservers fail at one instant (this run: " + FailureWords(o.Failure) + ") → weight 0 in the kernel table ");
        md.Append("(table polled every 5 ms, or three times as long as one read takes, so the poller never uses more than a quarter of a CPU"
            + (results.Any(r => r.DetectPollMs > 0) ? "; mean poll period in this run: " + string.Join(", ", results.Where(r => r.DetectPollMs > 0).Select(r => $"{Label(r)} {F(r.DetectPollMs)} ms")) : "")
            + "); recovery = farm accepts again → weight 1. `(n missed)` = never seen within the detect timeout, or not at full weight before the failure (such a realserver cannot show a latency).\n\n");
        if (o.Verb == "flap")
        {
            md.Append($"Flap: after the window, 10% of realservers alternate up and refusing every {F(o.FlapPeriod.TotalSeconds)} s for another window; the last column counts weight changes of those realservers seen in the kernel table (fewer = better damped; a change every flap would be {F(60 / o.FlapPeriod.TotalSeconds, "F1")} per minute). ");
            md.Append("False downs counts only realservers that did not flap. ipvs-checkd runs with `flap_damping: { failures: 3, window: 1m, hold: 2m }` here (keepalived and ldirectord have no damping).\n\n");
        }
        if (o.Verb == "starved")
        {
            md.Append($"Starved: during the window one busy-looping process per core (taskset-pinned) competes with the checker; false downs must stay 0. The last column is the largest engine lag the checker itself reported (ipvs-checkd: its high-water mark `ipvs_checkd_engine_lag_max_seconds`, read when the window starts and when it ends; `≤` when the window set no new mark, so its lag was at most that; keepalived and ldirectord report none).\n\n");
        }
        bool http = o.Check == "http";
        md.Append($"Configs (generated; same interval, timeout and fall/retry for each{(o.FastInterval != TimeSpan.FromSeconds(1) ? $"; ipvs-checkd re-checks a changing realserver every {o.FastIntervalText}, keepalived after its delay_before_retry of 1 s" : "")}): ipvs-checkd `{(http ? "http path / expect_status [200]" : "tcp")}, rise 1, fall 2, fast_interval {o.FastIntervalText}{(o.DownIntervalText is { } d ? ", down_interval " + d : "")}, on_failure quiesce`; keepalived `{(http ? "HTTP_GET url / status_code 200" : "TCP_CHECK")}, retry 1, delay_before_retry 1, inhibit_on_failure`; ");
        md.Append($"ldirectord `{(http ? "checktype=negotiate, service=http, request=\"/\", receive=\"ok\"" : "checktype=connect")}, quiescent=yes` (its default failurecount=1: it takes a server down on the first failed check).\n\n");
        var argv = Environment.GetCommandLineArgs().SkipWhile(a => a != "side-by-side").Skip(1);
        md.Append($"Scenario command (repository root, as root, under the machine's quiet and VM locks): `bash bench/peers/run-in-vm.sh {string.Join(' ', argv)}`\n\n");
        md.Append("Checker commands:\n\n");
        foreach (var r in results.DistinctBy(r => r.Checker))
        {
            md.Append($"- {r.Checker}: `{r.Command}`\n");
        }
        var pngs = SideBySidePlots.WriteFor(stem + ".json");
        md.Append("\nPlots (`ipvs-bench plot` draws them again from the JSON files; the load plots join every report of this interval in the folder):\n\n");
        foreach (var png in pngs)
        {
            md.Append($"![{Path.GetFileNameWithoutExtension(png)}]({Path.GetFileName(png)})\n");
        }
        File.WriteAllText(stem + ".md", md.ToString());
        return [stem + ".json", stem + ".md", .. pngs];
    }

    private static string FailureWords(string failure) => failure switch
    {
        "blackhole" => "blackhole: a full accept queue, SYNs dropped, connects time out",
        "hang" => "hang: connections accepted and never answered",
        _ => "refuse: listener closed, connects get RST",
    };

    private static string Dist(List<double> v, int missed, SideBySideOptions o) =>
        o.Verb != "detect" ? "—" : v.Count == 0 ? $"none ({missed} missed)" :
        $"{F(P(v, 0.5), "F2")} / {F(P(v, 0.95), "F2")} / {F(v.Max(), "F2")}" + (missed > 0 ? $" ({missed} missed)" : "");

    /// <summary>Nearest-rank percentile.</summary>
    public static double P(List<double> v, double q)
    {
        if (v.Count == 0)
        {
            return double.NaN;
        }
        var sorted = v.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string F(double v, string format = "F1") => SideBySideScenario.F(v, format);
}
