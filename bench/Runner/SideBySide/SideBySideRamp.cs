using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// One table over every side-by-side <c>scale</c> report of one interval in a folder (one VM run per size): per
/// size and checker, the checks/s held against the offered rate, CPU and RSS; then, per checker, the highest load
/// it held at its interval. Each size is its own VM run, so compare the checkers within a size; across sizes the
/// host's load may differ (each report gives it).
/// </summary>
internal static class SideBySideRamp
{
    /// <summary>A checker holds its interval when its real interval is at most this much longer than configured.</summary>
    public const double Tolerance = 0.05;

    private sealed record Point(string Report, int Total, string Checker, double Held, double Cpu, double CpuPer1000, double Rss, double? Steady, string HostLoad);

    /// <summary>Writes side-by-side-ramp-Is[-http].md in <paramref name="dir"/>; returns its path, or null when no report matches.</summary>
    public static string? Write(string dir, double intervalSeconds, string check)
    {
        var points = new List<Point>();
        foreach (var path in Directory.GetFiles(dir, "side-by-side-scale-*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var o = doc.RootElement.GetProperty("options");
            var interval = TimeSpan.Parse(o.GetProperty("Interval").GetString() ?? "0", CultureInfo.InvariantCulture).TotalSeconds;
            var kind = o.TryGetProperty("Check", out var c) ? c.GetString() ?? "tcp" : "tcp";
            if (interval != intervalSeconds || kind != check)
            {
                continue;
            }
            var total = o.GetProperty("Total").GetInt32();
            var md = Path.ChangeExtension(path, ".md");
            var load = File.Exists(md) ? HostLoad(File.ReadAllText(md)) : "?";
            foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                double? steady = r.GetProperty("SteadySeconds") is { ValueKind: JsonValueKind.Number } s ? s.GetDouble() : null;
                points.Add(new Point(Path.GetFileNameWithoutExtension(path), total, r.GetProperty("Checker").GetString() ?? "?",
                    Number(r, "ChecksPerSecond"), Number(r, "CpuPercent"), Number(r, "CpuPercentPer1000ChecksPerSecond"), Number(r, "RssMiB"), steady, load));
            }
        }
        if (points.Count == 0)
        {
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string i = intervalSeconds.ToString("0.###", inv);
        sb.Append(inv, $"# side-by-side ramp: {(check == "tcp" ? "TCP connect" : "HTTP")} checks every {i} s, one VM run per size\n\n");
        sb.Append(inv, $"Every `side-by-side-scale-*-{i}s` report in this folder, joined (`ipvs-bench side-by-side-ramp --interval {i}s`). ");
        sb.Append("Each size is its own VM run (qemu TCG, 2 vCPUs): compare the checkers within a size; across sizes the host's load may differ (the last column, from each report). ");
        sb.Append(inv, $"A checker **holds** its interval when its real interval (realservers ÷ checks/s) is at most {Tolerance * 100:F0} % above {i} s.\n\n");
        sb.Append("| realservers | offered checks/s | checker | checks/s held | real interval s | holds | CPU % | CPU % per 1,000 checks/s | RSS MiB | steady state s | host load at start | report |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var p in points.OrderBy(p => p.Total).ThenBy(p => p.Checker, StringComparer.Ordinal))
        {
            double offered = p.Total / intervalSeconds;
            sb.Append(inv, $"| {p.Total} | {offered:F0} | {p.Checker} | {p.Held:F1} | {(p.Held > 0 ? (p.Total / p.Held).ToString("F2", inv) : "—")} | {(Holds(p, intervalSeconds) ? "yes" : "**no**")} | ");
            sb.Append(inv, $"{p.Cpu:F1} | {p.CpuPer1000:F1} | {p.Rss:F1} | {(p.Steady is { } s ? s.ToString("F1", inv) : "not reached")} | {p.HostLoad} | [{p.Report}]({p.Report}.md) |\n");
        }
        sb.Append("\nHighest load held at the interval, per checker (the largest size above it held; the largest checks/s it reached at any size):\n\n");
        sb.Append("| checker | largest size held | checks/s held there | largest checks/s reached | sizes run |\n|---|---|---|---|---|\n");
        foreach (var g in points.GroupBy(p => p.Checker).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var held = g.Where(p => Holds(p, intervalSeconds)).OrderByDescending(p => p.Total).FirstOrDefault();
            var best = g.Where(p => double.IsFinite(p.Held)).DefaultIfEmpty().Max(p => p?.Held ?? 0);
            sb.Append(inv, $"| {g.Key} | {(held is null ? "none" : held.Total.ToString(inv))} | {(held is null ? "—" : held.Held.ToString("F1", inv))} | {best:F1} | {string.Join(", ", g.Select(p => p.Total).Distinct().Order())} |\n");
        }
        var (checksPng, cpuPng) = SideBySidePlots.LoadPngs(dir, intervalSeconds, check);
        sb.Append(inv, $"\n![checks/s vs realservers]({Path.GetFileName(checksPng)})\n![CPU vs realservers]({Path.GetFileName(cpuPng)})\n");
        string out1 = Path.Combine(dir, $"side-by-side-ramp-{i}s{(check == "tcp" ? "" : "-" + check)}.md");
        File.WriteAllText(out1, sb.ToString());
        return out1;
    }

    private static bool Holds(Point p, double interval) => p.Held > 0 && p.Total / p.Held <= interval * (1 + Tolerance);

    private static double Number(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : double.NaN;

    /// <summary>The 1-minute load the report's header gives ("Host load average (1/5/15 min) when the VM started: A B C.").</summary>
    private static string HostLoad(string md)
    {
        const string Key = "when the VM started: ";
        var at = md.IndexOf(Key, StringComparison.Ordinal);
        if (at < 0)
        {
            return "?";
        }
        var rest = md[(at + Key.Length)..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return end > 0 ? rest[..end] : "?";
    }
}
