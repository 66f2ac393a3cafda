using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// The phases one checker goes through against the shared farm: steady state, a sampling window (checks/s, CPU,
/// RSS), then for <c>detect</c> 10% of realservers refused at one instant and brought back, watched in the kernel table.
/// </summary>
internal sealed class CheckerMeasure(SideBySideOptions o, FarmClient farm, KernelTableWatch table, IReadOnlyList<(IPEndPoint Vs, IPEndPoint Rs)> pairs)
{
    private static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(5);
    private int[] _last = [];

    public void Run(CheckerProcess checker, CheckerResult result)
    {
        var start = Stopwatch.StartNew();
        var deadline = start.Elapsed + o.SteadyTimeout;
        double? first = null, half = null;
        while (start.Elapsed < deadline && !checker.Exited)
        {
            table.Poll();
            result.DestsAtFullWeight = table.CountAtWeight(1);
            // Where start-up time goes: until the first realserver is in (process start, config, first check)
            // against the ramp from there to all of them (checks and kernel edits).
            first ??= result.DestsAtFullWeight > 0 ? start.Elapsed.TotalSeconds : null;
            half ??= result.DestsAtFullWeight * 2 >= pairs.Count ? start.Elapsed.TotalSeconds : null;
            if (result.DestsAtFullWeight == pairs.Count)
            {
                result.SteadySeconds = start.Elapsed.TotalSeconds;
                break;
            }
            Thread.Sleep(SlowPoll);
        }
        if (checker.Exited)
        {
            result.Error = "checker exited before steady state: " + checker.LastOutput();
            return;
        }
        Console.WriteLine(result.SteadySeconds is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"  steady after {s:F1} s (first realserver at full weight after {first:F1} s, half of them after {half:F1} s)")
            : $"  not steady after {o.SteadyTimeout.TotalSeconds} s: {result.DestsAtFullWeight}/{pairs.Count} at full weight; measuring anyway");
        Thread.Sleep(o.SettleTime); // let start-up bursts (and JIT warm-up) pass before sampling
        _last = (int[])table.Weights.Clone();
        if (o.Verb == "starved")
        {
            // The window runs with every core kept busy by competing processes (bounded: they end by themselves).
            using var burners = Starvation.Start(Environment.ProcessorCount, o.Window + TimeSpan.FromSeconds(30));
            var lag = checker.Name.StartsWith("ipvs-checkd", StringComparison.Ordinal) ? new LagSampler() : null;
            Window(checker, result);
            if (lag is not null)
            {
                result.LagMaxSeconds = lag.WindowMax(out var bound);
                result.LagMaxIsUpperBound = bound;
            }
            return;
        }
        Window(checker, result);
        if (o.Profile is { } profile && o.Verb == "scale")
        {
            Console.Write(CheckerProfile.Run(checker.Pid, profile, Connections, checker.Dir));
        }
        if (o.Verb == "detect")
        {
            Detect(result);
        }
        else if (o.Verb == "flap")
        {
            Flap(result);
        }
    }

    /// <summary>An unmeasured run: until steady state and then <paramref name="hold"/> more, or the steady timeout.</summary>
    public string WarmUp(CheckerProcess checker, TimeSpan hold)
    {
        var start = Stopwatch.StartNew();
        while (start.Elapsed < o.SteadyTimeout && !checker.Exited)
        {
            table.Poll();
            if (table.CountAtWeight(1) == pairs.Count)
            {
                Thread.Sleep(hold);
                return string.Create(CultureInfo.InvariantCulture, $"steady after {start.Elapsed.TotalSeconds - hold.TotalSeconds:F1} s, held {hold.TotalSeconds:F0} s");
            }
            Thread.Sleep(SlowPoll);
        }
        return checker.Exited ? "exited: " + checker.LastOutput() : "not steady within the steady timeout";
    }

    private void Flap(CheckerResult result)
    {
        // Every 10th realserver alternates up and refusing every --flap-period for one window.
        var flapping = new HashSet<int>(Enumerable.Range(0, pairs.Count).Where(i => i % 10 == 0));
        var period = ((int)o.FlapPeriod.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        if (farm.Send("flap " + period) != "ok")
        {
            throw new InvalidOperationException("farm refused the flap period");
        }
        Flip(flapping, "flapping");
        long before = result.KernelEdits;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < o.Window)
        {
            PollCountingEdits(result, flapping);
            Thread.Sleep(SlowPoll);
        }
        result.FlapServers = flapping.Count;
        result.FlapEdits = result.KernelEdits - before;
        result.FlapSeconds = sw.Elapsed.TotalSeconds;
        Flip(flapping, "up");
    }

    private void Window(CheckerProcess checker, CheckerResult result)
    {
        var conn0 = Connections();
        var cpu0 = ProcessTree.Cpu(checker.Pid);
        var farm0 = farm.Cpu();
        var sw = Stopwatch.StartNew();
        long rss = 0;
        while (sw.Elapsed < o.Window)
        {
            rss = Math.Max(rss, ProcessTree.Rss(checker.Pid));
            PollCountingEdits(result, failing: null);
            Thread.Sleep(SlowPoll);
        }
        var seconds = sw.Elapsed.TotalSeconds;
        var cpu = (ProcessTree.Cpu(checker.Pid) - cpu0).TotalSeconds;
        result.WindowSeconds = seconds;
        result.ChecksPerSecond = (Connections() - conn0) / seconds;
        result.EffectiveIntervalSeconds = result.ChecksPerSecond > 0 ? pairs.Count / result.ChecksPerSecond : double.PositiveInfinity;
        result.CpuPercent = 100 * cpu / seconds;
        result.CpuPercentPer1000ChecksPerSecond = result.ChecksPerSecond > 0 ? result.CpuPercent * 1000 / result.ChecksPerSecond : 0;
        result.RssMiB = rss / 1048576.0;
        result.FarmCpuPercent = 100 * (farm.Cpu() - farm0).TotalSeconds / seconds;
        result.KernelEditsPerSecond = result.KernelEdits / seconds;
    }

    private void Detect(CheckerResult result)
    {
        // Every 10th realserver fails at one instant (--failure: refuse = RST, the farm closes its listener;
        // blackhole = a full accept queue, SYNs are dropped; hang = accepted, never answered).
        // Only realservers at full weight before the failure can show a detection latency.
        var tenth = Enumerable.Range(0, pairs.Count).Where(i => i % 10 == 0).ToList();
        var failing = new HashSet<int>(tenth.Where(i => table.Weights[i] == 1));
        result.DetectMissed = result.RecoverMissed = tenth.Count - failing.Count;
        var at = Flip(failing, o.Failure);
        Console.WriteLine($"  failed {failing.Count} of {tenth.Count} chosen realservers ({tenth.Count - failing.Count} were not at full weight before)");
        result.DetectMissed += Watch(failing, at, w => w <= 0, result.DetectSeconds, result);
        at = Flip(failing, "up");
        result.RecoverMissed += Watch(failing, at, w => w == 1, result.RecoverSeconds, result);
    }

    private Dictionary<int, double> Flip(HashSet<int> which, string behaviour)
    {
        var at = new Dictionary<int, double>();
        foreach (var i in which)
        {
            var reply = farm.Send($"set {pairs[i].Rs} {behaviour}");
            if (reply != "ok")
            {
                throw new InvalidOperationException("farm: " + reply);
            }
            at[i] = Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        }
        return at;
    }

    /// <summary>Polls the table every few ms until each watched realserver meets <paramref name="done"/>; returns how many never did.</summary>
    private int Watch(HashSet<int> which, Dictionary<int, double> at, Func<int, bool> done, List<double> latencies, CheckerResult result)
    {
        var pending = new HashSet<int>(which);
        var sw = Stopwatch.StartNew();
        var polls = 0;
        while (pending.Count > 0 && sw.Elapsed < o.DetectTimeout)
        {
            var start = Stopwatch.GetTimestamp();
            PollCountingEdits(result, which);
            polls++;
            var now = Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            foreach (var i in pending.Where(i => done(table.Weights[i])).ToList())
            {
                latencies.Add(now - at[i]);
                pending.Remove(i);
            }
            // Every few ms, but the poller takes at most a quarter of one CPU: reading and parsing 10,000 table lines
            // costs tens of ms in the VM, and a poller busy all the time starved the checkers it measures.
            var cost = Stopwatch.GetElapsedTime(start);
            Thread.Sleep(cost * 3 > FastPoll ? cost * 3 : FastPoll);
        }
        result.DetectPollMs = Math.Max(result.DetectPollMs, polls == 0 ? 0 : sw.Elapsed.TotalMilliseconds / polls);
        return pending.Count;
    }

    private void PollCountingEdits(CheckerResult result, HashSet<int>? failing)
    {
        table.Poll();
        for (var i = 0; i < _last.Length; i++)
        {
            var w = table.Weights[i];
            if (w == _last[i])
            {
                continue;
            }
            result.KernelEdits++;
            // A false down is a realserver the scenario did not fail leaving full weight (not one still being added).
            if (w <= 0 && _last[i] >= 1 && failing?.Contains(i) != true)
            {
                result.FalseDowns++;
            }
            _last[i] = w;
        }
    }

    private long Connections()
    {
        // "connections N answered M"
        var words = farm.Send("stats").Split(' ');
        return long.Parse(words[1], CultureInfo.InvariantCulture);
    }
}
