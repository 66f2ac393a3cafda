using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench;

/// <summary>
/// <c>ipvs-checkd demo</c> of a given build (its ipvs-checkd.dll) as a child process on a free loopback port: the
/// daemon with its simulated farm and the in-memory table, for benchmarks of its HTTP side. Bounded by the demo's
/// own <c>--duration</c>; killed on dispose and when this process exits.
/// </summary>
internal sealed class DemoDaemon : IDisposable
{
    private readonly Process _process;
    private readonly EventHandler _onExit;

    private DemoDaemon(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _onExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Uri BaseAddress { get; }

    public TimeSpan Cpu() => ProcessCpu.Of($"/proc/{_process.Id}/stat");

    /// <summary>Starts the demo and returns once <c>/api/v1/status</c> lists every realserver and 99 % have been checked.</summary>
    public static async Task<DemoDaemon> StartAsync(string dll, int services, int realServers, TimeSpan maxRun, TimeSpan readyWithin)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "demo", "--services", services.ToString(), "--realservers", realServers.ToString(),
                     "--listen", $"127.0.0.1:{port}", "--duration", $"{(int)maxRun.TotalSeconds}" })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        var daemon = new DemoDaemon(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = daemon.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < readyWithin)
        {
            await Task.Delay(500);
            if (process.HasExited)
            {
                break;
            }
            try
            {
                var status = await http.GetStringAsync("/api/v1/status");
                // Every realserver listed and (nearly) every one checked once: the demo's chaos may hold a few back.
                if (Count(status, "\"health_since\"") >= services * realServers && Count(status, "\"health\":\"unknown\"") * 100 <= services * realServers)
                {
                    return daemon;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        var exited = process.HasExited ? $"exited with {process.ExitCode}" : "still running";
        daemon.Dispose();
        throw new TimeoutException($"({exited}) " + $"the demo ({dll}) did not show {services * realServers} checked realservers within {readyWithin.TotalSeconds:F0} s");
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
