using System.Net;
using System.Text;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Daemon;

/// <summary>
/// The daemon killed with SIGKILL while it writes a batch of weight changes to the kernel, then started again:
/// a watcher reading the kernel table every few milliseconds across the kill and the restart sees no healthy
/// realserver lose its weight and no admin decision undone; the drain and maintenance set through the API are
/// still there after the restart (who set them too), and the table converges. A clean stop with
/// <c>on_exit: keep</c> then leaves the table as it is.
/// </summary>
public sealed class DaemonRestartKernelTests : DaemonKernelTest
{
    private const int Big = 40;
    private static readonly Vs Web = TcpVs("web", "10.97.3.1", 80);
    private static readonly Vs Farm = TcpVs("farm", "10.97.3.2", 80, "-g");

    /// <summary>Farm realservers 1..20 are checked on listener A, 21..40 on listener B (one shared probe each).</summary>
    private static IPEndPoint FarmRs(int i) => new(IPAddress.Parse($"127.0.98.{i}"), 80);

    private string Config()
    {
        var farm = new StringBuilder();
        for (var i = 1; i <= Big; i++)
        {
            var port = i <= Big / 2 ? 18031 : 18032;
            farm.Append("      - { address: ").Append(FarmRs(i)).Append(", weight: 5, check: { address: 127.0.97.")
                .Append(port - 18000).Append(", port: ").Append(port).Append(" } }\n");
        }
        // A long timeout and fall 3: the realservers live in this test program, which shares the emulated CPU with
        // the daemon and the watcher; a starved test server must not pass for a flap.
        return Header(onExit: "keep", checkTimeout: "900ms", fall: 3, interval: "1s") + """
              - name: web
                protocol: tcp
                address: 10.97.3.1:80
                scheduler: wlc
                forward: nat
                realservers:
                  - { address: 127.0.97.31:18031, weight: 10 }
                  - { address: 127.0.97.32:18032, weight: 10 }
                  - { address: 127.0.97.33:18033, weight: 10 }
              - name: farm
                protocol: tcp
                address: 10.97.3.2:80
                scheduler: wrr
                forward: dr
                realservers:

            """ + farm;
    }

    [Fact]
    public void Run_KilledWhileWritingAndRestarted_NoHealthyServerFlapsAdminStateKeptTableConverges()
    {
        var a = Server("127.0.97.31", 18031);
        var b = Server("127.0.97.32", 18032);
        var c = Server("127.0.97.33", 18033);
        WriteConfig(Config());
        var d = StartDaemon();
        var all = new List<Want> { W(Web, a, 10), W(Web, b, 10), W(Web, c, 10) };
        all.AddRange(Enumerable.Range(1, Big).Select(i => W(Farm, FarmRs(i), 5)));
        AssertAgree(d, Settle, [.. all]);

        Assert.Equal(200, d.Post(DaemonProcess.AdminPath("web", "127.0.97.33:18033", "drain")).Code);
        Assert.Equal(200, d.Post(DaemonProcess.AdminPath("farm", "127.0.98.20:80", "maintenance")).Code);
        AssertAgree(d, Settle, W(Web, c, 0), W(Farm, FarmRs(20), null));

        // Healthy (on A) must keep their weight, the drained one stays at 0, the one in maintenance stays out.
        var keep = new Dictionary<string, int?> { [KernelView.Key(Web.Key, a.EndPoint)] = 10, [KernelView.Key(Web.Key, c.EndPoint)] = 0 };
        for (var i = 1; i < Big / 2; i++)
        {
            keep[KernelView.Key(Farm.Key, FarmRs(i))] = 5;
        }
        keep[KernelView.Key(Farm.Key, FarmRs(20))] = null;
        using var watcher = new FlapWatcher(keep);

        // B goes away: 21 weights go to 0 in one batch. Kill the daemon as soon as the kernel shows the first.
        b.Stop();
        var bKeys = Enumerable.Range(Big / 2 + 1, Big / 2).Select(i => KernelView.Key(Farm.Key, FarmRs(i))).Append(KernelView.Key(Web.Key, b.EndPoint)).ToList();
        Poll.Until(() => Kernel.Weights() is var w && bKeys.Any(k => w.GetValueOrDefault(k, -1) == 0), Settle, "a first weight 0 of B", everyMs: 2);
        d.Kill();
        var atKill = Kernel.Weights();
        Output?.WriteLine($"killed with {bKeys.Count(k => atKill.GetValueOrDefault(k, -1) == 0)} of {bKeys.Count} weights of B at 0");

        var d2 = StartDaemon();
        var converged = new List<Want> { W(Web, a, 10), W(Web, b, 0), W(Web, c, 0), W(Farm, FarmRs(20), null) };
        converged.AddRange(Enumerable.Range(1, Big / 2 - 1).Select(i => W(Farm, FarmRs(i), 5)));
        converged.AddRange(Enumerable.Range(Big / 2 + 1, Big / 2).Select(i => W(Farm, FarmRs(i), 0)));
        var t = AssertAgree(d2, Settle, [.. converged]);
        Output?.WriteLine($"converged {t.TotalMilliseconds:0} ms after the restarted daemon answered");
        using (var status = d2.Status())
        {
            var drained = Row(status, "web", c.EndPoint).GetProperty("admin");
            Assert.Equal("drain", drained.GetProperty("state").GetString());
            Assert.StartsWith("api", drained.GetProperty("set_by").GetString(), StringComparison.Ordinal);
            Assert.Equal("maintenance", Row(status, "farm", FarmRs(20)).GetProperty("admin").GetProperty("state").GetString());
            Assert.Equal("up", Row(status, "web", a.EndPoint).GetProperty("health").GetString());
        }
        watcher.Dispose();
        Output?.WriteLine($"watcher: {watcher.Samples} kernel reads across kill and restart, {watcher.Violations.Count} violations");
        Assert.True(watcher.Samples > 20, $"the watcher read the kernel only {watcher.Samples} times");
        Assert.Empty(watcher.Violations);

        // on_exit: keep — a clean stop leaves every weight where it is.
        var before = Kernel.Weights();
        d2.Signal("TERM");
        Assert.True(d2.WaitForExit(TimeSpan.FromSeconds(30)), "the daemon did not stop within 30 s of SIGTERM");
        Assert.Equal(0, d2.ExitCode);
        Assert.Equal(before, Kernel.Weights());
    }
}
