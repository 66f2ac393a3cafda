using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (one page, a websocket, request/response by id; events are
/// read and dropped): navigate, evaluate an expression, read the renderer's Performance metrics, and the CPU of
/// every process of the browser. Fresh profile, loopback URLs only; killed on dispose.
/// </summary>
internal sealed partial class CdpPage : IDisposable
{
    private readonly Process _browser;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private int _id;

    private CdpPage(Process browser, DirectoryInfo profile)
    {
        _browser = browser;
        _profile = profile;
    }

    public static async Task<CdpPage> StartAsync(string chromium)
    {
        var profile = Directory.CreateTempSubdirectory("ipvs-bench-chromium-");
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                     "--remote-debugging-port=0", $"--user-data-dir={profile.FullName}", "about:blank" })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var page = new CdpPage(process, profile);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? browserUrl = null;
        while (browserUrl is null)
        {
            var line = await process.StandardError.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("chromium ended before it listened");
            if (DevToolsLine().Match(line) is { Success: true } m)
            {
                browserUrl = m.Groups[1].Value;
            }
        }
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        var http = new Uri(browserUrl.Replace("ws://", "http://", StringComparison.Ordinal));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri(http, "/json/list"), deadline.Token));
        var target = list.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        await page._socket.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!), deadline.Token);
        await page.CallAsync("Performance.enable", "{}");
        return page;
    }

    public Task NavigateAsync(Uri url) => CallAsync("Page.navigate", JsonSerializer.Serialize(new Dictionary<string, string> { ["url"] = url.ToString() }));

    /// <summary>The value of a JavaScript expression as text (null when undefined).</summary>
    public async Task<string?> EvaluateAsync(string expression)
    {
        using var reply = await CallAsync("Runtime.evaluate", JsonSerializer.Serialize(new Dictionary<string, object> { ["expression"] = expression, ["returnByValue"] = true }));
        var result = reply.RootElement.GetProperty("result").GetProperty("result");
        return result.TryGetProperty("value", out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
    }

    /// <summary>The renderer's cumulative main-thread task time (Performance.getMetrics TaskDuration), in seconds.</summary>
    public async Task<double> TaskSecondsAsync()
    {
        using var reply = await CallAsync("Performance.getMetrics", "{}");
        foreach (var m in reply.RootElement.GetProperty("result").GetProperty("metrics").EnumerateArray())
        {
            if (m.GetProperty("name").GetString() == "TaskDuration")
            {
                return m.GetProperty("value").GetDouble();
            }
        }
        return 0;
    }

    /// <summary>CPU of the browser and every process under it (renderer, GPU, network service).</summary>
    public TimeSpan Cpu()
    {
        var total = TimeSpan.Zero;
        foreach (var pid in Tree(_browser.Id))
        {
            try
            {
                total += ProcessCpu.Of($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return total;
    }

    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }
        return tree;
    }

    private async Task<JsonDocument> CallAsync(string method, string parameters)
    {
        var id = ++_id;
        var message = Encoding.UTF8.GetBytes($"{{\"id\":{id},\"method\":\"{method}\",\"params\":{parameters}}}");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, deadline.Token);
                text.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);
            var doc = JsonDocument.Parse(text.ToArray());
            if (doc.RootElement.TryGetProperty("id", out var got) && got.GetInt32() == id)
            {
                return doc;
            }
            doc.Dispose();
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _browser.Kill(entireProcessTree: true);
            _browser.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _browser.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
