using System.Globalization;
using System.Text.Json;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// PNG plots (ScottPlot) of the side-by-side reports, drawn from their JSON files so that every committed result
/// can be plotted again: per detect run, the detection and recovery latency distributions of each checker; per
/// scale series (same interval, several sizes), checks/s held and CPU % against the number of realservers.
/// </summary>
internal static class SideBySidePlots
{
    private sealed record Run(string Path, string Verb, string Check, int Total, double IntervalSeconds, List<Row> Rows);

    private sealed record Row(string Checker, double ChecksPerSecond, double CpuPercent, double[] Detect, double[] Recover);

    /// <summary>Plots every side-by-side JSON in <paramref name="dir"/>; returns the PNG files written.</summary>
    public static List<string> WriteAll(string dir)
    {
        var runs = Directory.GetFiles(dir, "side-by-side-*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
        var written = new List<string>();
        foreach (var run in runs.Where(r => r.Verb == "detect"))
        {
            written.Add(LatencyPlot(run));
        }
        foreach (var series in runs.Where(r => r.Verb is "scale" or "detect").GroupBy(r => (r.IntervalSeconds, r.Check)))
        {
            written.AddRange(LoadPlots(dir, series.Key.IntervalSeconds, series.Key.Check, [.. series.OrderBy(r => r.Total)]));
        }
        return written;
    }

    /// <summary>
    /// Plots one report just written (its latency plot for detect) and the load plots of its interval drawn from
    /// every report in the same folder; returns the PNG files, for the markdown to link.
    /// </summary>
    public static List<string> WriteFor(string jsonPath)
    {
        string dir = System.IO.Path.GetDirectoryName(jsonPath) ?? ".";
        var run = Load(jsonPath);
        var written = new List<string>();
        if (run.Verb == "detect")
        {
            written.Add(LatencyPlot(run));
        }
        if (run.Verb is "scale" or "detect")
        {
            var series = Directory.GetFiles(dir, "side-by-side-*.json").Select(Load)
                .Where(r => r.Verb is "scale" or "detect" && r.IntervalSeconds == run.IntervalSeconds && r.Check == run.Check).OrderBy(r => r.Total).ToList();
            written.AddRange(LoadPlots(dir, run.IntervalSeconds, run.Check, series));
        }
        return written;
    }

    /// <summary>The latency plot's file name for a report stem (the markdown links it).</summary>
    public static string LatencyPng(string jsonPath) => System.IO.Path.ChangeExtension(jsonPath, null) + "-latency.png";

    /// <summary>The file names of the load plots of one interval (the markdown links them).</summary>
    public static (string Checks, string Cpu) LoadPngs(string dir, double intervalSeconds, string check)
    {
        string i = intervalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" + (check == "tcp" ? "" : "-" + check);
        return (System.IO.Path.Combine(dir, $"side-by-side-load-{i}-checks.png"), System.IO.Path.Combine(dir, $"side-by-side-load-{i}-cpu.png"));
    }

    private static Run Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var o = doc.RootElement.GetProperty("options");
        var rows = new List<Row>();
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            rows.Add(new Row(
                r.GetProperty("Checker").GetString() ?? "?",
                Number(r, "ChecksPerSecond"),
                Number(r, "CpuPercent"),
                [.. r.GetProperty("DetectSeconds").EnumerateArray().Select(e => e.GetDouble())],
                [.. r.GetProperty("RecoverSeconds").EnumerateArray().Select(e => e.GetDouble())]));
        }
        string check = o.TryGetProperty("Check", out var c) ? c.GetString() ?? "tcp" : "tcp";
        return new Run(path, o.GetProperty("Verb").GetString() ?? "?", check, o.GetProperty("Total").GetInt32(),
            TimeSpan.Parse(o.GetProperty("Interval").GetString() ?? "0", CultureInfo.InvariantCulture).TotalSeconds, rows);
    }

    // NaN and Infinity are written as strings ("NaN"); a checker that held nothing plots as a gap.
    private static double Number(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : double.NaN;

    private static string LatencyPlot(Run run)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < run.Rows.Count; i++)
        {
            var row = run.Rows[i];
            AddCdf(plot, row.Detect, $"{row.Checker}: failure → weight 0", ScottPlot.LinePattern.Solid, palette.GetColor(i));
            AddCdf(plot, row.Recover, $"{row.Checker}: recovery → weight restored", ScottPlot.LinePattern.Dashed, palette.GetColor(i));
        }
        plot.Title($"detect: {run.Total} realservers, interval {run.IntervalSeconds:0.###} s — latency distribution");
        plot.XLabel("seconds from the farm's change to the kernel table's");
        plot.YLabel("% of failed realservers (cumulative)");
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        string png = LatencyPng(run.Path);
        plot.SavePng(png, 900, 560);
        return png;
    }

    private static void AddCdf(ScottPlot.Plot plot, double[] values, string label, ScottPlot.LinePattern pattern, ScottPlot.Color color)
    {
        if (values.Length == 0)
        {
            return;
        }
        var xs = values.Order().ToArray();
        var ys = Enumerable.Range(1, xs.Length).Select(i => 100.0 * i / xs.Length).ToArray();
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.LinePattern = pattern;
        line.Color = color;
        line.LineWidth = 2;
    }

    private static List<string> LoadPlots(string dir, double interval, string check, List<Run> runs)
    {
        var (checksPng, cpuPng) = LoadPngs(dir, interval, check);
        var checkers = runs.SelectMany(r => r.Rows.Select(x => x.Checker)).Distinct().ToList();
        Draw(checksPng, "checks/s held", r => r.ChecksPerSecond, offered: true);
        Draw(cpuPng, "CPU % of one core (process tree)", r => r.CpuPercent, offered: false);
        return [checksPng, cpuPng];

        void Draw(string png, string what, Func<Row, double> value, bool offered)
        {
            var plot = new ScottPlot.Plot();
            foreach (var checker in checkers)
            {
                var points = runs.SelectMany(r => r.Rows.Where(x => x.Checker == checker).Select(x => (x: (double)r.Total, y: value(x))))
                    .Where(p => double.IsFinite(p.y)).GroupBy(p => p.x).Select(g => (x: g.Key, y: g.Average(p => p.y))).OrderBy(p => p.x).ToArray();
                if (points.Length == 0)
                {
                    continue;
                }
                var s = plot.Add.Scatter(points.Select(p => p.x).ToArray(), points.Select(p => p.y).ToArray());
                s.LegendText = checker;
                s.LineWidth = 2;
                s.MarkerSize = 8;
            }
            if (offered)
            {
                double[] xs = [.. runs.Select(r => (double)r.Total).Distinct().Order()];
                var target = plot.Add.ScatterLine(xs, [.. xs.Select(x => x / interval)]);
                target.LegendText = "offered (realservers ÷ interval)";
                target.LinePattern = ScottPlot.LinePattern.Dotted;
                target.Color = ScottPlot.Colors.Gray;
            }
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimits(0, limits.Right * 1.05, 0, limits.Top * 1.1);
            plot.Title($"{what} vs realservers, {check} checks every {interval:0.###} s (IPVS VM, same farm)");
            plot.XLabel("realservers checked");
            plot.YLabel(what);
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
            plot.SavePng(png, 900, 560);
        }
    }
}
