using System.Net;
using System.Text;
using Ipvs.Netlink;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Daemon;

/// <summary>
/// The daemon killed with SIGKILL inside a batch of kernel edits too large for one netlink datagram, then started
/// again. The netlink client puts as many edits in one datagram as fit under <see cref="IpvsClient.MaxDatagramBytes"/>
/// (about 430 weight edits of 140 bytes) and sends the rest in the next ones, each only after the previous one's
/// ACKs; the kernel applies a datagram whole within its sendmsg. So 1,600 realservers going to weight 0 at once is a
/// batch of four datagrams, and a kill as soon as the first service's weights show 0 lands between them: part of
/// the batch is in the kernel, the rest is not. A 50 ms watcher across the kill and the restart sees every healthy
/// realserver at its weight all the time, and the restarted daemon converges the rest.
/// </summary>
public sealed class DaemonKillMidBatchKernelTests : DaemonKernelTest
{
    private const int Services = 8;
    private const int PerService = 250;
    private const int Weight = 5;

    private static Vs Farm(int s) => TcpVs("farm" + s, "10.97.4." + s, 80, "-g");

    /// <summary>Realserver i of service s; every fifth is checked on listener A (stays up), the others on B (stopped).</summary>
    private static IPEndPoint Rs(int s, int i) => new(IPAddress.Parse($"10.98.{s}.{i}"), 80);

    private static bool OnA(int i) => i % 5 == 0;

    private string Config()
    {
        var yaml = new StringBuilder(Header(onExit: "keep", checkTimeout: "900ms", fall: 3, interval: "1s"));
        for (var s = 1; s <= Services; s++)
        {
            yaml.Append("  - { name: farm").Append(s).Append(", protocol: tcp, address: 10.97.4.").Append(s)
                .Append(":80, scheduler: wrr, forward: dr, realservers: [\n");
            for (var i = 1; i <= PerService; i++)
            {
                // One shared probe per listener: B's one failing result takes all its realservers out in one pass.
                var (address, port) = OnA(i) ? ("127.0.97.41", 18041) : ("127.0.97.42", 18042);
                yaml.Append("      { address: ").Append(Rs(s, i)).Append(", weight: ").Append(Weight)
                    .Append(", check: { address: ").Append(address).Append(", port: ").Append(port).Append(" } },\n");
            }
            yaml.Append("    ] }\n");
        }
        return yaml.ToString();
    }

    [Fact]
    public void Run_KilledBetweenTheDatagramsOfOneBatchAndRestarted_NoHealthyServerFlapsTableConverges()
    {
        var onB = Enumerable.Range(1, Services).SelectMany(s => Enumerable.Range(1, PerService).Where(i => !OnA(i)).Select(i => (s, i))).ToList();
        var edit = new NetlinkWriter();
        IpvsEncoder.WriteEdit(edit, 0x24, 1, IpvsEdit.EditDestination(Farm(1).Key, new DestinationConfig(Rs(1, 1).Address, 80, ForwardMethod.Route, 0)));
        Assert.True(onB.Count * edit.Length > 3 * IpvsClient.MaxDatagramBytes,
            $"{onB.Count} edits of {edit.Length} bytes fit in fewer than four datagrams of {IpvsClient.MaxDatagramBytes} bytes");

        Server("127.0.97.41", 18041);
        var b = Server("127.0.97.42", 18042);
        WriteConfig(Config());
        var d = StartDaemon();
        var up = Poll.Until(() => Kernel.Weights() is var w && Enumerable.Range(1, Services).All(s => Enumerable.Range(1, PerService)
            .All(i => w.GetValueOrDefault(KernelView.Key(Farm(s).Key, Rs(s, i)), -1) == Weight)), StartDeadline, "every realserver at full weight", everyMs: 250);
        Output?.WriteLine($"{Services * PerService} realservers at full weight {up.TotalMilliseconds:0} ms after the daemon answered");

        var keep = new Dictionary<string, int?>();
        for (var s = 1; s <= Services; s++)
        {
            for (var i = 5; i <= PerService; i += 5)
            {
                keep[KernelView.Key(Farm(s).Key, Rs(s, i))] = Weight;
            }
        }
        using var watcher = new FlapWatcher(keep);

        // B goes away: 1,600 weights go to 0 in one pass. The first service's edits lead the batch: kill the daemon
        // the moment one of them shows in the kernel (a small dump of that service only, to be quick).
        b.Stop();
        var first = Farm(1).Key;
        Poll.Until(() => Kernel.Weights(first).ContainsValue(0), Settle, "a first weight 0 of B", everyMs: 1);
        d.Kill();
        var atKill = Kernel.Weights();
        var zeros = onB.Count(x => atKill.GetValueOrDefault(KernelView.Key(Farm(x.s).Key, Rs(x.s, x.i)), -1) == 0);
        var servicesTouched = Enumerable.Range(1, Services).Count(s => onB.Any(x => x.s == s && atKill.GetValueOrDefault(KernelView.Key(Farm(s).Key, Rs(s, x.i)), -1) == 0));
        Output?.WriteLine($"killed with {zeros} of {onB.Count} weights of B at 0 ({servicesTouched} of {Services} services touched; "
            + $"{edit.Length}-byte edits, {IpvsClient.MaxDatagramBytes}-byte datagrams){(zeros == onB.Count ? ": the whole batch had landed before the kill" : "")}");

        var d2 = StartDaemon();
        var t = Poll.Until(() => Kernel.Weights() is var w && Enumerable.Range(1, Services).All(s => Enumerable.Range(1, PerService)
            .All(i => w.GetValueOrDefault(KernelView.Key(Farm(s).Key, Rs(s, i)), -1) == (OnA(i) ? Weight : 0))), Settle, "the table converged", everyMs: 250);
        Output?.WriteLine($"converged {t.TotalMilliseconds:0} ms after the restarted daemon answered");
        watcher.Dispose();
        Output?.WriteLine($"watcher: {watcher.Samples} kernel reads across kill and restart, {watcher.Violations.Count} violations");
        Assert.True(watcher.Samples > 20, $"the watcher read the kernel only {watcher.Samples} times");
        Assert.True(watcher.Violations.IsEmpty, string.Join("\n", watcher.Violations.Take(20)));
        Assert.InRange(zeros, 1, onB.Count);
        var saved = Ipvsadm.SaveLines();
        Assert.Equal(Services * PerService, saved.Count(l => l.StartsWith("-a ", StringComparison.Ordinal)));
        Assert.Equal(onB.Count, saved.Count(l => l.StartsWith("-a ", StringComparison.Ordinal) && l.EndsWith(" -g -w 0", StringComparison.Ordinal)));
        d2.Signal("TERM");
        Assert.True(d2.WaitForExit(TimeSpan.FromSeconds(60)), "the daemon did not stop within 60 s of SIGTERM");
    }
}
