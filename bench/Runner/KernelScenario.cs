using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Ipvs.Netlink;

namespace Ipvs.Bench;

/// <summary>
/// The kernel path, side by side in one run (inside the IPVS VM: bash tests/vm/run.sh -- dotnet
/// bench/Runner/bin/Release/net10.0/ipvs-bench.dll kernel): N weight edits as N ipvsadm -e processes, as one
/// ipvsadm -R restore, by the C raw-netlink loop (bench/c, the ceiling), by our client one at a time and in one
/// batch; and a full dump of the table by ipvsadm -Ln against our client. Prints figures; asserts nothing.
/// </summary>
public sealed class KernelScenario : IScenario
{
    public string Name => "kernel";

    public string Description => "IPVS weight edits and dumps: ipvsadm vs C raw netlink vs our client (needs IPVS; run in the VM)";

    public Task<int> RunAsync(string[] args)
    {
        int edits = Option(args, "--edits", 1000), services = Option(args, "--services", 1000), dests = Option(args, "--dests", 4);
        int rounds = Option(args, "--rounds", 3), processEdits = Option(args, "--process-edits", edits);
        string? root = KernelTools.RepositoryRoot();
        string cProgram = OptionText(args, "--c-program") ?? Path.Combine(root ?? ".", "bench", "c", "ipvs_setdest");
        if (edits > services * dests || edits % dests != 0)
        {
            Console.Error.WriteLine("kernel: --edits must be a multiple of --dests and at most services × dests");
            return Task.FromResult(2);
        }

        IpvsClient client;
        try
        {
            client = IpvsClient.Open(TimeSpan.FromSeconds(30));
        }
        catch (IpvsException e)
        {
            Console.Error.WriteLine($"kernel: {e.Message}. Run it inside the IPVS VM: bash tests/vm/run.sh -- dotnet bench/Runner/bin/Release/net10.0/ipvs-bench.dll kernel");
            return Task.FromResult(2);
        }
        using (client)
        {
            var report = new StringBuilder();
            void Line(string s)
            {
                Console.WriteLine(s);
                report.AppendLine(s);
            }

            Line($"kernel scenario: Linux {Environment.OSVersion.Version}, {Environment.ProcessorCount} CPU(s), IPVS {client.Info.Version.ToString(3)}; " +
                 $"table {services} services × {dests} destinations; {edits} weight edits; best of {rounds} rounds");
            Line("(inside the qemu VM under TCG emulation, on a shared, busy 2-core machine: compare rows with each other, not with host figures)");

            KernelTools.RunChecked("ipvsadm", ["-C"]);
            var sw = Stopwatch.StartNew();
            KernelTools.RunChecked("ipvsadm", ["-R"], KernelTools.RestoreScript(services, dests), TimeSpan.FromMinutes(10));
            Line($"table built by ipvsadm -R in {sw.Elapsed.TotalSeconds:0.00} s");

            var rows = new List<(string Method, int Count, double Seconds)>();

            // 1. One ipvsadm process per edit, as ldirectord and mon do.
            sw.Restart();
            for (int i = 0; i < processEdits; i++)
            {
                (int s, int d) = (i / dests, i % dests);
                (string a, ushort p) = KernelTools.Rip(s, d);
                KernelTools.RunChecked("ipvsadm", ["-e", "-t", KernelTools.Vip(s), "-r", $"{a}:{p}", "-m", "-w", (20 + i % 7).ToString(CultureInfo.InvariantCulture)]);
            }
            rows.Add(("ipvsadm -e, one process per edit", processEdits, sw.Elapsed.TotalSeconds));

            // 2. One ipvsadm -R restore of N edit lines.
            var restore = new StringBuilder();
            for (int i = 0; i < edits; i++)
            {
                (string a, ushort p) = KernelTools.Rip(i / dests, i % dests);
                restore.Append(CultureInfo.InvariantCulture, $"-e -t {KernelTools.Vip(i / dests)} -r {a}:{p} -m -w {30 + i % 7}\n");
            }
            rows.Add(("ipvsadm -R, one restore", edits, Best(rounds, () => KernelTools.RunChecked("ipvsadm", ["-R"], restore.ToString()), jitWarmUp: false)));

            // 3. The C raw-netlink loop: send one SET_DEST, wait for its ACK, repeat (its own clock, no process start).
            if (File.Exists(cProgram))
            {
                var c = new List<double>();
                for (int r = 0; r < rounds; r++)
                {
                    string output = KernelTools.RunChecked(cProgram, [edits.ToString(CultureInfo.InvariantCulture), (edits / dests).ToString(CultureInfo.InvariantCulture), dests.ToString(CultureInfo.InvariantCulture), "40"]);
                    c.Add(double.Parse(output.Split("seconds=")[1].Split(' ')[0], CultureInfo.InvariantCulture));
                }
                rows.Add(("C raw netlink loop (bench/c), one ACK at a time", edits, c.Min()));
            }
            else
            {
                Line($"C program not found at {cProgram}: build it with bash bench/c/build.sh (skipped)");
            }

            // 4 and 5. Our client: one edit per request, then all edits in one Apply.
            var keys = new ServiceKey[edits];
            var configs = new DestinationConfig[edits];
            var batch = new IpvsEdit[edits];
            for (int i = 0; i < edits; i++)
            {
                (string a, ushort p) = KernelTools.Rip(i / dests, i % dests);
                keys[i] = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse(KernelTools.Vip(i / dests)));
                configs[i] = new DestinationConfig(IPAddress.Parse(a), p, ForwardMethod.Masquerade, 50 + i % 7);
                batch[i] = IpvsEdit.EditDestination(keys[i], configs[i] with { Weight = 60 + i % 7 });
            }
            rows.Add(("our client, one request per edit", edits, Best(rounds, () =>
            {
                for (int i = 0; i < edits; i++)
                {
                    client.EditDestination(keys[i], configs[i]);
                }
            })));
            var results = new IpvsEditResult[edits];
            rows.Add(("our client, one batch (Apply)", edits, Best(rounds, () => client.Apply(batch, results))));
            int failed = results.Count(r => !r.Succeeded);
            int landed = CountWeights(client.DumpTable(), dests, edits);
            Line($"batch check: {edits - failed} of {edits} edits acknowledged; {landed} of {edits} weights read back as set");

            double cSeconds = rows.FirstOrDefault(r => r.Method.StartsWith("C raw", StringComparison.Ordinal)).Seconds;
            Line("");
            Line($"{"weight edits",-50} {"edits",6} {"seconds",9} {"edits/s",10} {"vs C loop",9}");
            foreach ((string method, int count, double seconds) in rows)
            {
                double rate = count / seconds;
                string vsC = cSeconds > 0 ? ((count / seconds) / (edits / cSeconds)).ToString("0.00", CultureInfo.InvariantCulture) : "-";
                Line(string.Create(CultureInfo.InvariantCulture, $"{method,-50} {count,6} {seconds,9:0.0000} {rate,10:0} {vsC,9}"));
            }

            // 6. A full dump: ipvsadm -Ln (a process, as an operator or a script runs it) against our client in-process.
            double ipvsadmDump = Best(rounds, () => KernelTools.RunChecked("ipvsadm", ["-Ln"]), jitWarmUp: false);
            int entries = 0;
            double ourDump = Best(rounds, () => entries = client.DumpTable().Sum(s => 1 + s.Destinations.Count));
            Line("");
            Line($"{"full table dump",-50} {"entries",7} {"seconds",9}");
            Line(string.Create(CultureInfo.InvariantCulture, $"{"ipvsadm -Ln (process)",-50} {services * (1 + dests),7} {ipvsadmDump,9:0.0000}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"{"our client DumpTable (in process)",-50} {entries,7} {ourDump,9:0.0000}"));
            Line("");
            if (cSeconds > 0)
            {
                double ratio = (edits / rows.First(r => r.Method.EndsWith("(Apply)", StringComparison.Ordinal)).Seconds) / (edits / cSeconds);
                Line(string.Create(CultureInfo.InvariantCulture, $"goal: batched edits ≥ 0.5 × C loop rate: {ratio:0.00} → {(ratio >= 0.5 ? "met" : "NOT met")}"));
            }
            Line(string.Create(CultureInfo.InvariantCulture, $"goal: our dump faster than ipvsadm -Ln: {ourDump:0.0000} s vs {ipvsadmDump:0.0000} s → {(ourDump < ipvsadmDump ? "met" : "NOT met")}"));

            KernelTools.RunChecked("ipvsadm", ["-C"]);
            if (root is not null)
            {
                string dir = Path.Combine(root, "bench", "results");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "kernel.txt"), report.ToString());
            }
        }
        return Task.FromResult(0);
    }

    /// <summary>
    /// The fastest of <paramref name="rounds"/> runs, in seconds, after untimed warm-up runs (at least 3 and 2 s):
    /// the JIT's tiering needs that long under emulation before the code reaches its steady state.
    /// </summary>
    private static double Best(int rounds, Action action, bool jitWarmUp = true)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 1 || (jitWarmUp && (i < 3 || warm.Elapsed < TimeSpan.FromSeconds(2))); i++)
        {
            action();
        }
        var times = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return times.Min();
    }

    private static int CountWeights(IReadOnlyList<ServiceEntry> table, int dests, int edits)
    {
        int ok = 0;
        foreach (ServiceEntry s in table)
        {
            foreach (DestinationEntry d in s.Destinations)
            {
                int sIndex = (d.Config.Address.GetAddressBytes()[3] - 1) + 250 * (d.Config.Port - 8080);
                int i = sIndex * dests + (d.Config.Address.GetAddressBytes()[2] - 200);
                if (i < edits && d.Config.Weight == 60 + i % 7)
                {
                    ok++;
                }
            }
        }
        return ok;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
