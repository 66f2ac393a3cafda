using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ipvs.Bench.Farm;
using Ipvs.Checks;

namespace Ipvs.Bench;

internal sealed record ChecksRow(string Client, double Rate, double PassPercent, double CpuMicros, double AllocBytes, double FarmCpuMicros)
{
    public double Checks { get; init; }

    public double Seconds { get; init; }

    /// <summary>Rounds of one client as one row: totals over the sum of their windows.</summary>
    public static ChecksRow Sum(IReadOnlyList<ChecksRow> rounds)
    {
        var checks = rounds.Sum(r => r.Checks);
        var seconds = rounds.Sum(r => r.Seconds);
        double PerCheck(Func<ChecksRow, double> f) => rounds.Sum(r => f(r) * r.Checks) / Math.Max(checks, 1);
        return new ChecksRow(rounds[0].Client, checks / Math.Max(seconds, 1e-9), PerCheck(r => r.PassPercent), PerCheck(r => r.CpuMicros),
            rounds[0].AllocBytes < 0 ? -1 : PerCheck(r => r.AllocBytes), PerCheck(r => r.FarmCpuMicros)) { Checks = checks, Seconds = seconds };
    }
}

internal sealed record ChecksOptions(int Servers, int Concurrency, int Seconds, int Port, int Rounds = 1)
{
    public static ChecksOptions? Parse(string[] args)
    {
        var o = new ChecksOptions(200, 1000, 10, 18080);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) || v <= 0)
            {
                return null;
            }
            o = args[i] switch
            {
                "--servers" => o with { Servers = Math.Min(v, 60000) },
                "--concurrency" => o with { Concurrency = Math.Min(v, 20000) },
                "--seconds" => o with { Seconds = Math.Min(v, 120) },
                "--port" => o with { Port = v },
                "--rounds" => o with { Rounds = Math.Min(v, 20) },
                _ => null,
            };
            if (o is null)
            {
                return null;
            }
        }
        return args.Length % 2 == 0 ? o : null;
    }

    /// <summary>Writes the table under bench/results/ of the repository this runs from.</summary>
    public static void Save(string name, string text)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ipvs.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            return;
        }
        var results = Path.Combine(dir.FullName, "bench", "results");
        Directory.CreateDirectory(results);
        var file = Path.Combine(results, $"{name}-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.txt");
        File.WriteAllText(file, text);
        Console.WriteLine("written " + Path.GetRelativePath(dir.FullName, file));
    }
}

/// <summary>The minimal C epoll client, compiled from bench/c with the system's cc into a temp dir (once per run of the scenario).</summary>
internal sealed class CEpollClient : IDisposable
{
    private readonly string _exe;

    private CEpollClient(string exe) => _exe = exe;

    public static async Task<CEpollClient?> CompileAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "bench", "c", "tcpcheck_epoll.c")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            Console.WriteLine("C client: source not found, skipped");
            return null;
        }
        var exe = Path.Combine(Path.GetTempPath(), $"tcpcheck_epoll-{Environment.ProcessId}");
        using var cc = Process.Start("cc", ["-O2", "-o", exe, Path.Combine(dir.FullName, "bench", "c", "tcpcheck_epoll.c")]);
        await cc.WaitForExitAsync();
        if (cc.ExitCode != 0)
        {
            Console.WriteLine("C client: cc failed, skipped");
            return null;
        }
        return new CEpollClient(exe);
    }

    public async Task<ChecksRow> RunAsync(bool http, IPAddress first, ChecksOptions o, FarmClient farm)
    {
        var farm0 = farm.Cpu();
        var psi = new ProcessStartInfo(_exe) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { http ? "http" : "tcp", first.ToString(), o.Servers.ToString(CultureInfo.InvariantCulture), o.Port.ToString(CultureInfo.InvariantCulture),
            o.Concurrency.ToString(CultureInfo.InvariantCulture), o.Seconds.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var line = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var farmCpu = farm.Cpu() - farm0;
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        double D(string k) => double.Parse(f[k], CultureInfo.InvariantCulture);
        var checks = D("checks");
        return new ChecksRow("C epoll client", D("rate"), 100 * D("passed") / Math.Max(checks, 1), D("cpu_us_per_check"), -1, farmCpu.TotalMilliseconds * 1000 / Math.Max(checks, 1))
        {
            Checks = checks,
            Seconds = D("seconds"),
        };
    }

    public void Dispose() => File.Delete(_exe);
}

/// <summary>The straightforward .NET client: a Socket and ConnectAsync per check (and SendAsync/ReceiveAsync for HTTP).</summary>
internal sealed class PlainSocketCheck(IPEndPoint endPoint, bool http) : IHealthCheck
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: farm\r\nUser-Agent: plain\r\nConnection: close\r\n\r\n");
    private readonly byte[] _buffer = new byte[4096];

    public CheckSpec Spec { get; } = new TcpCheckSpec();

    public CheckTarget Target { get; } = new(endPoint);

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.LingerState = new LingerOption(true, 0);
        try
        {
            using var cts = new CancellationTokenSource(2000);
            await socket.ConnectAsync(endPoint, cts.Token);
            if (http)
            {
                await socket.SendAsync(Request, SocketFlags.None, cts.Token);
                var n = await socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (n < 12 || _buffer[9] != (byte)'2')
                {
                    return CheckResult.Fail("bad response", Stopwatch.GetElapsedTime(start));
                }
            }
            return CheckResult.Pass(Stopwatch.GetElapsedTime(start));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return CheckResult.Fail(e.Message, Stopwatch.GetElapsedTime(start));
        }
    }

    public void Dispose()
    {
    }
}
