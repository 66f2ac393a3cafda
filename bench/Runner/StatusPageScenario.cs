using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ipvs.Bench;

/// <summary>
/// <c>status-page</c>: the status page of <c>ipvs-checkd demo --services 1000 --realservers 10</c> in headless
/// Chromium (DevTools protocol), per build (this tree's and <c>--baseline DLL</c>, taking turns each round): first
/// render (navigation until the first poll is drawn), one refresh cycle (the time between two drawn polls, less the
/// page's 1 s timer), rows in the DOM, and over a window at 1 s polling the page's main-thread task time and the CPU
/// of all of the browser's processes, in % of a core. Goals (issue 18): first render and one refresh each at most 1 s.
/// </summary>
internal sealed class StatusPageScenario : IScenario
{
    public string Name => "status-page";

    public string Description => "status page in headless Chromium at 10,000 realservers: first render, refresh, CPU at 1 s polling";

    public async Task<int> RunAsync(string[] args)
    {
        var services = EngineScenarioArgs.Int(args, "--services", 1000);
        var perService = EngineScenarioArgs.Int(args, "--realservers", 10);
        var rounds = EngineScenarioArgs.Int(args, "--rounds", 1);
        var window = TimeSpan.FromSeconds(EngineScenarioArgs.Int(args, "--window", 30));
        var chromium = Option(args, "--chromium") ?? "chromium";
        var builds = new List<(string Name, string Dll)> { ("this", Option(args, "--daemon") ?? MetricsScrapeScenario.DefaultDll()) };
        if (Option(args, "--baseline") is { } baseline)
        {
            builds.Insert(0, ("baseline", baseline));
        }
        var lines = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < builds.Count; k++)
            {
                var (name, dll) = builds[(k + round) % builds.Count];
                Console.WriteLine($"round {round + 1}: {name} ({dll})");
                using var daemon = await DemoDaemon.StartAsync(dll, services, perService, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(6));
                using var page = await CdpPage.StartAsync(chromium);
                var line = name.PadRight(9) + await MeasureAsync(page, daemon.BaseAddress, window);
                Console.WriteLine(line);
                lines.Add(line);
            }
        }
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"status-page: demo --services {services} --realservers {perService}, headless Chromium, {window.TotalSeconds:F0} s window at the page's 1 s polling, {rounds} rounds");
        report.AppendLine("build     first render ms   refresh cycle ms   page-measured full refresh / render ms   rows in DOM   page main thread % of a core   browser processes % of a core");
        lines.ForEach(l => report.AppendLine(l));
        Console.Write(report);
        return 0;
    }

    private static async Task<string> MeasureAsync(CdpPage page, Uri url, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        await page.NavigateAsync(url);
        double firstRender;
        while (true)
        {
            if (int.TryParse(await page.EvaluateAsync("document.body && document.body.dataset.updates"), out var n) && n >= 1)
            {
                firstRender = clock.Elapsed.TotalMilliseconds;
                break;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                return "no render within 2 min";
            }
            await Task.Delay(20);
        }
        while (await Updates(page) < 3)
        {
            await Task.Delay(50);
        }
        var updates0 = await Updates(page);
        var task0 = await page.TaskSecondsAsync();
        var cpu0 = page.Cpu();
        clock.Restart();
        await Task.Delay(window);
        var updates = await Updates(page) - updates0;
        var task = await page.TaskSecondsAsync() - task0;
        var cpu = (page.Cpu() - cpu0).TotalSeconds;
        var seconds = clock.Elapsed.TotalSeconds;
        var cycle = updates > 0 ? seconds * 1000 / updates - 1000 : double.NaN;
        var full = await page.EvaluateAsync("document.body.dataset.refreshMs") ?? "-";
        var render = await page.EvaluateAsync("document.body.dataset.renderMs") ?? "-";
        var rows = await page.EvaluateAsync("document.querySelectorAll('tr.rs').length") ?? "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"{firstRender,15:F0}   {cycle,16:F0}   {full + " / " + render,38}   {rows,11}   {task / seconds * 100,28:F1}   {cpu / seconds * 100,29:F1}");
    }

    private static async Task<int> Updates(CdpPage page) =>
        int.TryParse(await page.EvaluateAsync("document.body.dataset.updates"), out var n) ? n : 0;

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
