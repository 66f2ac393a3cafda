using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Ipvs.Bench.Farm;
using Ipvs.Checks;

namespace Ipvs.Bench;

/// <summary>
/// checks-tcp / checks-http: thousands of concurrent checks against the farm (a separate ipvs-farm process, so this
/// process's CPU is the checker's alone) for a bounded time. Side by side in one run: the minimal C epoll client
/// (bench/c/tcpcheck_epoll.c), the project's probes (epoll loop), and a straightforward Socket.ConnectAsync client.
/// Prints checks/s, CPU µs per check (utime+stime), bytes allocated per check.
/// </summary>
public sealed class ChecksScenario(bool http, bool tls = false) : IScenario
{
    public string Name => tls ? "checks-https" : http ? "checks-http" : "checks-tcp";

    public string Description => tls
        ? "concurrent HTTPS checks vs the farm: TLS session resumption on vs off"
        : http
        ? "concurrent HTTP checks vs the farm: probes, plain sockets, C epoll client"
        : "concurrent TCP connect checks vs the farm: probes, plain sockets, C epoll client";

    public async Task<int> RunAsync(string[] args)
    {
        var o = ChecksOptions.Parse(args);
        if (o is null)
        {
            Console.Error.WriteLine($"usage: ipvs-bench {Name} [--servers 200] [--concurrency 1000] [--seconds 10] [--port 18080]");
            return 2;
        }
        var inv = CultureInfo.InvariantCulture;
        var first = IPAddress.Parse("127.1.0.1");
        var control = new IPEndPoint(IPAddress.Loopback, o.Port + 1);
        using var farm = FarmProcess.Start(o.Servers, tls ? "https" : http ? "http" : "tcp", first, o.Port, control, o.Seconds * 4 + 60);
        using var farmClient = new FarmClient(control);
        Console.WriteLine($"{Name}: {o.Servers} farm servers ({first}..), {o.Concurrency} concurrent checks, {o.Seconds} s per client; shared busy 2-core machine");
        var rows = new List<ChecksRow>();
        if (tls)
        {
            var resumed = new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(5), Tls = new TlsOptions { Sni = "farm.test", Verify = false } };
            rows.Add(await ManagedClientAsync("https resumed", o, farmClient, ep => resumed.Create(new CheckTarget(ep))));
            var full = resumed with { Tls = resumed.Tls! with { ResumeSessions = false } };
            rows.Add(await ManagedClientAsync("https full handshake", o, farmClient, ep => full.Create(new CheckTarget(ep))));
        }
        var c = tls ? null : await CEpollClient.RunAsync(http, first, o, farmClient);
        if (c is not null)
        {
            rows.Add(c);
        }
        if (!tls)
        {
            rows.Add(await ManagedClientAsync("probes (epoll loop)", o, farmClient, ep => (http ? new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(2) } : (CheckSpec)new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(2) }).Create(new CheckTarget(ep))));
            rows.Add(await ManagedClientAsync("plain Socket async", o, farmClient, ep => new PlainSocketCheck(ep, http)));
        }
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"{"client",-22} {"checks/s",10} {"pass%",6} {"cpu us/check",13} {"alloc B/check",14} {"farm cpu us/check",18}"));
        foreach (var r in rows)
        {
            sb.AppendLine(string.Create(inv, $"{r.Client,-22} {r.Rate,10:F0} {r.PassPercent,6:F1} {r.CpuMicros,13:F1} {(r.AllocBytes < 0 ? "n/a" : r.AllocBytes.ToString("F0", inv)),14} {r.FarmCpuMicros,18:F1}"));
        }
        if (c is not null)
        {
            foreach (var r in rows.Skip(1))
            {
                sb.AppendLine(string.Create(inv, $"{r.Client}: throughput {r.Rate / c.Rate:F2}x C, CPU per check {r.CpuMicros / c.CpuMicros:F2}x C"));
            }
        }
        Console.Write(sb.ToString());
        farmClient.Send("quit");
        ChecksOptions.Save(Name, sb.ToString());
        return 0;
    }

    private static async Task<ChecksRow> ManagedClientAsync(string name, ChecksOptions o, FarmClient farm, Func<IPEndPoint, IHealthCheck> create)
    {
        var probes = new IHealthCheck[o.Concurrency];
        for (var i = 0; i < probes.Length; i++)
        {
            var a = IPAddress.Parse("127.1.0.1").GetAddressBytes();
            var n = (a[2] << 8) + a[3] + (i % o.Servers);
            probes[i] = create(new IPEndPoint(new IPAddress([a[0], a[1], (byte)(n >> 8), (byte)n]), o.Port));
        }
        var counts = new long[probes.Length];
        var passes = new long[probes.Length];
        var measuring = false;
        var stop = false;
        async Task Worker(int i)
        {
            var probe = probes[i];
            while (!Volatile.Read(ref stop))
            {
                var r = await probe.RunAsync().ConfigureAwait(false);
                if (Volatile.Read(ref measuring))
                {
                    counts[i]++;
                    passes[i] += r.Passed ? 1 : 0;
                }
            }
        }
        var workers = new Task[probes.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i;
            workers[i] = Task.Run(() => Worker(index));
        }
        await Task.Delay(1000); // warm-up: pools, JIT, ephemeral ports
        var cpu0 = ProcessCpu.Now();
        var farm0 = farm.Cpu();
        var alloc0 = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(o.Seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = sw.Elapsed.TotalSeconds;
        var alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        var cpu = ProcessCpu.Now() - cpu0;
        var farmCpu = farm.Cpu() - farm0;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var p in probes)
        {
            p.Dispose();
        }
        var total = counts.Sum();
        return new ChecksRow(name, total / elapsed, 100.0 * passes.Sum() / Math.Max(total, 1),
            cpu.TotalMilliseconds * 1000 / Math.Max(total, 1), (double)alloc / Math.Max(total, 1), farmCpu.TotalMilliseconds * 1000 / Math.Max(total, 1));
    }
}
