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
            Console.Error.WriteLine($"usage: ipvs-bench {Name} [--servers 200] [--concurrency 1000] [--seconds 10] [--rounds 1] [--port 18080]");
            return 2;
        }
        var inv = CultureInfo.InvariantCulture;
        var first = IPAddress.Parse("127.1.0.1");
        var control = new IPEndPoint(IPAddress.Loopback, o.Port + 1);
        using var farm = FarmProcess.Start(o.Servers, tls ? "https" : http ? "http" : "tcp", first, o.Port, control, o.Seconds * (3 * o.Rounds + 2) + 60);
        using var farmClient = new FarmClient(control);
        Console.WriteLine($"{Name}: {o.Servers} farm servers ({first}..), {o.Concurrency} concurrent checks, {o.Seconds} s per client; shared busy 2-core machine");
        var rows = new List<ChecksRow>();
        var rounds = new StringBuilder();
        if (tls)
        {
            var resumed = new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(5), Tls = new TlsOptions { Sni = "farm.test", Verify = false } };
            using (var client = new ManagedChecksClient("https resumed", o, ep => resumed.Create(new CheckTarget(ep))))
            {
                rows.Add(await client.MeasureAsync(o.Seconds, farmClient));
            }
            var full = resumed with { Tls = resumed.Tls! with { ResumeSessions = false } };
            using (var client = new ManagedChecksClient("https full handshake", o, ep => full.Create(new CheckTarget(ep))))
            {
                rows.Add(await client.MeasureAsync(o.Seconds, farmClient));
            }
        }
        else
        {
            using var c = await CEpollClient.CompileAsync();
            Func<IPEndPoint, IHealthCheck> create = ep => (http ? new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(2) } : (CheckSpec)new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(2) }).Create(new CheckTarget(ep));
            using var probes = new ManagedChecksClient("probes (RunAsync)", o, create);
            // The engine's path: the probe loop drives the check itself (IInlineCheck), no async machinery.
            bool canInline;
            using (var sample = create(new IPEndPoint(first, o.Port)))
            {
                canInline = sample is IInlineCheck;
            }
            using var inline = canInline ? new InlineChecksClient("probes (inline)", o, create) : null;
            var cRounds = new List<ChecksRow>();
            var probeRounds = new List<ChecksRow>();
            var inlineRounds = new List<ChecksRow>();
            for (var r = 0; r < o.Rounds; r++)
            {
                // Alternate the order, so a trend in the machine's load does not favour one client.
                if (r % 2 == 1)
                {
                    probeRounds.Add(await probes.MeasureAsync(o.Seconds, farmClient));
                    if (inline is not null)
                    {
                        inlineRounds.Add(await inline.MeasureAsync(o.Seconds, farmClient));
                    }
                }
                if (c is not null)
                {
                    cRounds.Add(await c.RunAsync(http, first, o, farmClient));
                }
                if (r % 2 == 0)
                {
                    if (inline is not null)
                    {
                        inlineRounds.Add(await inline.MeasureAsync(o.Seconds, farmClient));
                    }
                    probeRounds.Add(await probes.MeasureAsync(o.Seconds, farmClient));
                }
                var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                var line = new StringBuilder(string.Create(inv, $"round {r + 1}:"));
                if (c is not null)
                {
                    line.Append(inv, $" C {cRounds[r].Rate:F0}/s {cRounds[r].CpuMicros:F1} us;");
                }
                foreach (var (label, row) in inline is null ? [("RunAsync", probeRounds[r])] : new[] { ("inline", inlineRounds[r]), ("RunAsync", probeRounds[r]) })
                {
                    line.Append(inv, $" {label} {row.Rate:F0}/s {row.CpuMicros:F1} us");
                    line.Append(c is null ? ";" : string.Create(inv, $" ({row.Rate / cRounds[r].Rate:F2}x C throughput, {row.CpuMicros / cRounds[r].CpuMicros:F2}x C CPU);"));
                }
                rounds.AppendLine(line.Append(inv, $" load {load}").ToString());
            }
            if (c is not null)
            {
                rows.Add(ChecksRow.Sum(cRounds));
            }
            if (inline is not null)
            {
                rows.Add(ChecksRow.Sum(inlineRounds));
            }
            rows.Add(ChecksRow.Sum(probeRounds));
            using var plain = new ManagedChecksClient("plain Socket async", o, ep => new PlainSocketCheck(ep, http));
            rows.Add(await plain.MeasureAsync(o.Seconds, farmClient));
        }
        var cRow = rows.Count > 0 && rows[0].Client == "C epoll client" ? rows[0] : null;
        var sb = new StringBuilder();
        if (o.Rounds > 1)
        {
            sb.Append(rounds);
        }
        sb.AppendLine(string.Create(inv, $"{"client",-22} {"checks/s",10} {"pass%",6} {"cpu us/check",13} {"alloc B/check",14} {"farm cpu us/check",18}"));
        foreach (var r in rows)
        {
            sb.AppendLine(string.Create(inv, $"{r.Client,-22} {r.Rate,10:F0} {r.PassPercent,6:F1} {r.CpuMicros,13:F1} {(r.AllocBytes < 0 ? "n/a" : r.AllocBytes.ToString("F0", inv)),14} {r.FarmCpuMicros,18:F1}"));
        }
        if (cRow is not null)
        {
            foreach (var r in rows.Skip(1))
            {
                sb.AppendLine(string.Create(inv, $"{r.Client}: throughput {r.Rate / cRow.Rate:F2}x C, CPU per check {r.CpuMicros / cRow.CpuMicros:F2}x C"));
            }
        }
        Console.Write(sb.ToString());
        farmClient.Send("quit");
        ChecksOptions.Save(Name, sb.ToString());
        return 0;
    }
}
