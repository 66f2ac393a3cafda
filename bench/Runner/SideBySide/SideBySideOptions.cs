using System.Globalization;
using System.Net;

namespace Ipvs.Bench.SideBySide;

/// <summary>What one side-by-side run checks: V virtual services × R realservers, TCP checks at one interval.</summary>
internal sealed record SideBySideOptions
{
    public required string Verb { get; init; }
    public int Services { get; init; } = 100;
    public int RealServers { get; init; } = 4;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long checks/s, CPU and RSS are sampled once the table is steady.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Wait between steady state and the window, so start-up work (a runtime's compiler warming up, first-pass
    /// bursts) is not counted as steady cost; default two intervals. Time to steady state is reported apart.
    /// </summary>
    public TimeSpan? Settle { get; init; }
    public TimeSpan SettleTime => Settle ?? Interval * 2;
    /// <summary>When set, every checker first runs once unmeasured (to steady state, then this long more).</summary>
    public TimeSpan? Warmup { get; init; }
    /// <summary>Longest wait for a checker to bring every realserver to full weight.</summary>
    public TimeSpan SteadyTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Longest wait for every failed (or recovered) realserver to show in the kernel table.</summary>
    public TimeSpan DetectTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public IReadOnlyList<string> Checkers { get; init; } = ["ipvs-checkd", "keepalived", "ldirectord"];
    /// <summary>
    /// Measured runs per checker (scale only). The checkers take turns, round after round, each round starting one
    /// checker further on, so neighbouring windows share the VM's speed of the moment; the report adds the median
    /// per checker and the median of the per-round ratios to keepalived.
    /// </summary>
    public int Rounds { get; init; } = 1;
    public string Out { get; init; } = "bench/results";
    /// <summary>
    /// Folder (relative to the repository) of another ipvs-checkd build, run as the checker "ipvs-checkd-baseline"
    /// so a change is measured against the build before it in the same VM run.
    /// </summary>
    public string Baseline { get; init; } = "bench/peers/.work/baseline";
    /// <summary>
    /// Folder (relative to the repository) of the ipvs-checkd under test: the ReadyToRun publish that
    /// run-in-vm.sh makes, as an operator installs it. Without it there, the plain build output runs.
    /// </summary>
    public string Daemon { get; init; } = "bench/peers/.work/daemon";
    /// <summary>Check kind every checker runs: tcp (connect) or http (GET /, status 200).</summary>
    public string Check { get; init; } = "tcp";
    /// <summary>detect: how the chosen realservers fail: refuse (RST), blackhole (SYNs dropped), hang (accept, never answer; http only).</summary>
    public string Failure { get; init; } = "refuse";
    /// <summary>
    /// ipvs-checkd's fast_interval: the re-check spacing while a realserver changes state (100 ms..interval). The peers
    /// keep their own retry spacing (keepalived delay_before_retry 1 s; ldirectord has none).
    /// </summary>
    public TimeSpan FastInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// ipvs-checkd's down_interval (HAProxy's downinter): the check interval while a realserver is down, e.g. 500ms
    /// to see a recovery sooner at the same interval. Null: not set (down servers are checked at the interval).
    /// The peers have no such key; the report says so.
    /// </summary>
    public TimeSpan? DownInterval { get; init; }
    /// <summary>flap: how long a flapping realserver stays up, then down.</summary>
    public TimeSpan FlapPeriod { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>scale: after each window, profile the checker this long per phase (threads, perf stat, strace -c; see CheckerProfile).</summary>
    public TimeSpan? Profile { get; init; }

    /// <summary>Report file stem: side-by-side-VERB-VxR-Is[-http][-FAILURE][-downDOWN_INTERVAL].</summary>
    public string Stem => $"side-by-side-{Verb}-{Services}x{RealServers}-{Interval.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)}s"
        + (Check == "tcp" ? "" : "-" + Check) + (Verb == "detect" && Failure != "refuse" ? "-" + Failure : "")
        + (DownInterval is { } d ? "-down" + Text(d) : "");

    public int Total => Services * RealServers;

    /// <summary>Virtual service <paramref name="v"/>: 10.20.x.y:80 (only a table key: no traffic goes to it).</summary>
    public static IPEndPoint Vip(int v) => new(new IPAddress([10, 20, (byte)(v / 250), (byte)(v % 250 + 1)]), 80);

    /// <summary>Realserver <paramref name="r"/> of service <paramref name="v"/>: a farm listener 127.1.x.y:8080.</summary>
    public IPEndPoint Rip(int v, int r)
    {
        var i = v * RealServers + r + 1; // the farm numbers from 127.1.0.1 upward
        return new IPEndPoint(new IPAddress([127, 1, (byte)(i >> 8), (byte)(i & 0xff)]), FarmPort);
    }

    public const int FarmPort = 8080;

    public static SideBySideOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("scale" or "detect" or "flap" or "starved"))
        {
            throw new ArgumentException("first argument must be scale, detect, flap or starved");
        }
        var o = new SideBySideOptions { Verb = args[0] };
        var inv = CultureInfo.InvariantCulture;
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }
            var v = args[i + 1];
            o = args[i] switch
            {
                "--services" => o with { Services = int.Parse(v, inv) },
                "--realservers" => o with { RealServers = int.Parse(v, inv) },
                "--interval" => o with { Interval = Seconds(v) },
                "--timeout" => o with { Timeout = Seconds(v) },
                "--window" => o with { Window = Seconds(v) },
                "--settle" => o with { Settle = Seconds(v) },
                "--warmup" => o with { Warmup = Seconds(v) },
                "--steady-timeout" => o with { SteadyTimeout = Seconds(v) },
                "--detect-timeout" => o with { DetectTimeout = Seconds(v) },
                "--checkers" => o with { Checkers = v.Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--out" => o with { Out = v },
                "--baseline" => o with { Baseline = v },
                "--daemon" => o with { Daemon = v },
                "--check" => o with { Check = v },
                "--failure" => o with { Failure = v },
                "--flap-period" => o with { FlapPeriod = Seconds(v) },
                "--fast-interval" => o with { FastInterval = Seconds(v) },
                "--profile" => o with { Profile = Seconds(v) },
                "--down-interval" => o with { DownInterval = Seconds(v) },
                "--rounds" => o with { Rounds = int.Parse(v, inv) },
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
        }
        if (o.Services is < 1 or > 60000 || o.RealServers is < 1 || o.Total > 60000)
        {
            throw new ArgumentException("services × realservers must be 1..60000");
        }
        if (o.Interval.TotalSeconds % 1 != 0 || o.Timeout.TotalSeconds % 1 != 0 || o.Timeout > o.Interval || o.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("--interval and --timeout are whole seconds (the peers take seconds), timeout <= interval");
        }
        if (o.FastInterval < TimeSpan.FromMilliseconds(100) || o.FastInterval > o.Interval)
        {
            throw new ArgumentException("--fast-interval is 100ms..interval (e.g. 150ms or 1s)");
        }
        if (o.DownInterval is { } down && (down < TimeSpan.FromMilliseconds(100) || down > TimeSpan.FromHours(1)))
        {
            throw new ArgumentException("--down-interval is 100ms..1h (ipvs-checkd's down_interval, e.g. 500ms)");
        }
        if (o.Rounds is < 1 or > 20 || (o.Rounds > 1 && o.Verb != "scale"))
        {
            throw new ArgumentException("--rounds is 1..20, and only for scale");
        }
        if (o.Check is not ("tcp" or "http") || o.Failure is not ("refuse" or "blackhole" or "hang"))
        {
            throw new ArgumentException("--check is tcp or http; --failure is refuse, blackhole or hang");
        }
        if (o.Failure == "hang" && o.Check == "tcp")
        {
            throw new ArgumentException("--failure hang needs --check http (a TCP connect check passes against a server that accepts and never answers)");
        }
        foreach (var c in o.Checkers)
        {
            if (c is not ("ipvs-checkd" or "ipvs-checkd-baseline" or "keepalived" or "ldirectord"))
            {
                throw new ArgumentException("unknown checker " + c);
            }
        }
        return o;
    }

    /// <summary>"2s", "2", "0.5s" or "150ms".</summary>
    private static TimeSpan Seconds(string v) => v.EndsWith("ms", StringComparison.Ordinal)
        ? TimeSpan.FromMilliseconds(double.Parse(v[..^2], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(v.EndsWith('s') ? v[..^1] : v, CultureInfo.InvariantCulture));

    /// <summary>The fast_interval as the daemon's config writes it ("150ms", "1s").</summary>
    public string FastIntervalText => Text(FastInterval);

    /// <summary>The down_interval as the daemon's config writes it ("500ms"), or null when not set.</summary>
    public string? DownIntervalText => DownInterval is { } d ? Text(d) : null;

    private static string Text(TimeSpan t) => t.TotalMilliseconds % 1000 == 0
        ? $"{(int)t.TotalSeconds}s"
        : $"{(int)t.TotalMilliseconds}ms";
}
