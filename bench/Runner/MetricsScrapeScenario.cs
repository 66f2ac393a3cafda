using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Ipvs.Bench;

/// <summary>
/// <c>metrics-scrape</c>: what one Prometheus scrape of <c>/metrics</c> costs the daemon at a large topology
/// (<c>ipvs-checkd demo --services 1000 --realservers 10</c> by default: the daemon, a simulated farm, the in-memory
/// table). Per build (this tree's and, with <c>--baseline DLL</c>, another one measured in the same run, the builds
/// taking turns each round): series, size plain and gzip, wall time of one scrape, and the daemon's CPU per scrape —
/// its CPU over back-to-back scrapes minus its idle rate over the same time — as a share of a core at one scrape every
/// 15 s. Goals (issue 18): at most 3 MB, 150 ms, 2 % of a core.
/// </summary>
internal sealed class MetricsScrapeScenario : IScenario
{
    public string Name => "metrics-scrape";

    public string Description => "cost of one /metrics scrape of the daemon's demo at 10,000 realservers, against --baseline DLL";

    public async Task<int> RunAsync(string[] args)
    {
        var services = EngineScenarioArgs.Int(args, "--services", 1000);
        var perService = EngineScenarioArgs.Int(args, "--realservers", 10);
        var pairs = EngineScenarioArgs.Int(args, "--pairs", 3);
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 6));
        var settle = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--settle", 20));
        var rounds = EngineScenarioArgs.Int(args, "--rounds", 2);
        var builds = new List<(string Name, string Dll)> { ("this", Option(args, "--daemon") ?? DefaultDll()) };
        if (Option(args, "--baseline") is { } baseline)
        {
            builds.Insert(0, ("baseline", baseline));
        }
        var results = builds.ToDictionary(b => b.Name, _ => new List<ScrapeRow>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < builds.Count; k++)
            {
                var (name, dll) = builds[(k + round) % builds.Count];
                Console.WriteLine($"round {round + 1}: {name} ({dll})");
                using var daemon = await DemoDaemon.StartAsync(dll, services, perService, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(4));
                results[name].Add(await MeasureAsync(daemon, pairs, window, settle));
                Console.WriteLine("  " + results[name][^1]);
            }
        }
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"metrics-scrape: demo --services {services} --realservers {perService} ({services * perService} realservers), {pairs} pairs of {window.TotalSeconds:F0} s idle / scraping windows after {settle.TotalSeconds:F0} s, {rounds} rounds (medians)");
        report.AppendLine("build     series   plain MB   gzip MB   scrape ms (plain / gzip)   CPU ms/scrape   % of a core at 1 per 15 s   daemon idle % of a core   scrapes");
        foreach (var (name, rows) in results)
        {
            report.AppendLine(ScrapeRow.Median(rows).Format(name));
        }
        Console.Write(report);
        return 0;
    }

    /// <summary>
    /// After <paramref name="settle"/> (start-up compiling is not a scrape's cost): <paramref name="pairs"/> pairs of an
    /// idle window and a window of back-to-back scrapes (plain and gzip in turn), each <paramref name="window"/> long.
    /// CPU per scrape = (scrape windows' CPU - idle windows' CPU) / scrapes: the daemon keeps checking its realservers
    /// all the while, and pairs side by side share the machine's load of the moment.
    /// </summary>
    private static async Task<ScrapeRow> MeasureAsync(DemoDaemon daemon, int pairs, TimeSpan window, TimeSpan settle)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
            { BaseAddress = daemon.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var text = await http.GetByteArrayAsync("/metrics");
        await Task.Delay(settle);
        var plainMs = new List<double>();
        var gzipMs = new List<double>();
        var gzipBytes = 0L;
        double idleCpu = 0, idleSeconds = 0, busyCpu = 0, busySeconds = 0;
        var scrapes = 0;
        for (var p = 0; p < pairs; p++)
        {
            var cpu0 = daemon.Cpu();
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            idleCpu += (daemon.Cpu() - cpu0).TotalSeconds;
            idleSeconds += clock.Elapsed.TotalSeconds;

            cpu0 = daemon.Cpu();
            clock.Restart();
            do
            {
                var gzip = scrapes % 2 == 1;
                using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                if (gzip)
                {
                    request.Headers.AcceptEncoding.ParseAdd("gzip");
                }
                var t = Stopwatch.StartNew();
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                (gzip ? gzipMs : plainMs).Add(t.Elapsed.TotalMilliseconds);
                if (gzip)
                {
                    gzipBytes = response.Content.Headers.ContentEncoding.Contains("gzip") ? body.Length : -1;
                }
                else
                {
                    text = body;
                }
                scrapes++;
            }
            while (clock.Elapsed < window || scrapes < 2 * (p + 1));
            busyCpu += (daemon.Cpu() - cpu0).TotalSeconds;
            busySeconds += clock.Elapsed.TotalSeconds;
        }
        var idleRate = idleCpu / idleSeconds;
        var perScrape = (busyCpu - idleRate * busySeconds) / scrapes;
        var series = 0;
        foreach (var line in Encoding.UTF8.GetString(text).Split('\n'))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                series++;
            }
        }
        return new ScrapeRow(series, text.Length, gzipBytes, Median(plainMs), Median(gzipMs), Math.Max(perScrape, 0) * 1000, idleRate * 100, scrapes);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values[values.Count / 2];
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string DefaultDll() =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Daemon/bin/Release/net10.0/ipvs-checkd.dll"));

    private readonly record struct ScrapeRow(int Series, long PlainBytes, long GzipBytes, double PlainMs, double GzipMs, double CpuMsPerScrape, double IdlePercent, int Scrapes)
    {
        public static ScrapeRow Median(List<ScrapeRow> rows)
        {
            static double M(IEnumerable<double> v) => v.Order().ElementAt(v.Count() / 2);
            return new ScrapeRow(rows[0].Series, rows[0].PlainBytes, rows[0].GzipBytes,
                M(rows.Select(r => r.PlainMs)), M(rows.Select(r => r.GzipMs)), M(rows.Select(r => r.CpuMsPerScrape)), M(rows.Select(r => r.IdlePercent)),
                rows.Sum(r => r.Scrapes));
        }

        public string Format(string name) => string.Create(CultureInfo.InvariantCulture,
            $"{name,-9} {Series,7} {PlainBytes / 1e6,9:F2} {(GzipBytes < 0 ? "  (none)" : (GzipBytes / 1e6).ToString("F2", CultureInfo.InvariantCulture)),9}   {PlainMs,8:F0} / {GzipMs,-8:F0}         {CpuMsPerScrape,10:F0}   {CpuMsPerScrape / 15000 * 100,14:F2} %              {IdlePercent,10:F1} %   {Scrapes,7}");

        public override string ToString() => Format("");
    }
}
