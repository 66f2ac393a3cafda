using System.Globalization;
using System.Net;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Daemon;

/// <summary>
/// <c>ipvs-checkd run</c> end to end on the real kernel, as an unprivileged user (nobody) with only CAP_NET_ADMIN
/// and CAP_NET_RAW: realservers stopped and started, an ICMP check (raw socket), a drain through the API, a SIGHUP
/// with an edited config (one realserver added, one removed), a SIGHUP with a broken config, and a clean stop with
/// <c>on_exit: remove</c>. After each step the kernel, /metrics and /api/v1/status agree.
/// </summary>
public sealed class DaemonRunKernelTests : DaemonKernelTest
{
    private static readonly Vs Web = TcpVs("web", "10.97.2.1", 80);
    private static readonly Vs Mark = MarkVs("mark", 98);
    private static readonly Vs Ping = TcpVs("ping", "10.97.2.2", 80);
    private static readonly IPEndPoint Pinged = new(IPAddress.Parse("127.0.97.26"), 80);

    // A 900 ms timeout and fall 3: the realservers live in this test program, which shares the emulated CPU with
    // the daemon; a starved test server must not flap (its health history is compared across the reload).
    private string Config(params (string Address, int Weight)[] web) => Header(onExit: "remove", checkTimeout: "900ms", fall: 3, interval: "1s") + """
          - name: web
            protocol: tcp
            address: 10.97.2.1:80
            scheduler: wlc
            forward: nat
            realservers:

        """ + string.Concat(web.Select(r => $"      - {{ address: {r.Address}, weight: {r.Weight} }}\n")) + """
          - name: mark
            fwmark: 98
            scheduler: rr
            forward: dr
            realservers:
              - { address: 127.0.97.21:18021, weight: 1 }
          - name: ping
            protocol: tcp
            address: 10.97.2.2:80
            scheduler: rr
            forward: nat
            check: { type: icmp }
            realservers:
              - { address: 127.0.97.26:80, weight: 3 }

        """;

    [Fact]
    public void Run_StopStartDrainReloadAndStop_KernelMetricsAndStatusAgree()
    {
        var s1 = Server("127.0.97.21", 18021);
        var s2 = Server("127.0.97.22", 18022);
        var s3 = Server("127.0.97.23", 18023);
        var s4 = Server("127.0.97.24", 18024);
        Ipvsadm.RunChecked("-A", "-t", "10.97.9.9:80", "-s", "rr"); // not in the config: left alone, even on exit
        WriteConfig(Config(("127.0.97.21:18021", 10), ("127.0.97.22:18022", 20), ("127.0.97.23:18023", 30)));

        OpenToNobody();
        var d = StartDaemon(AsNobody("+net_admin,+net_raw"));
        var proc = File.ReadAllLines($"/proc/{d.Pid}/status");
        Assert.Equal(Nobody, proc.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        var capEff = ulong.Parse(proc.Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal))[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Equal((1UL << 12) | (1UL << 13), capEff); // CAP_NET_ADMIN and CAP_NET_RAW, nothing else
        var t = AssertAgree(d, Settle, W(Web, s1, 10), W(Web, s2, 20), W(Web, s3, 30), W(Mark, s1, 1), W(Web, s4, null), W(Ping, Pinged, 3));
        Output?.WriteLine($"converged {t.TotalMilliseconds:0} ms after the status answered");

        s2.Stop();
        t = AssertAgree(d, Settle, W(Web, s1, 10), W(Web, s2, 0), W(Web, s3, 30), W(Mark, s1, 1));
        Output?.WriteLine($"RST: all three views at weight 0 after {t.TotalMilliseconds:0} ms");
        using (var status = d.Status())
        {
            Assert.Equal("down", Row(status, "web", s2.EndPoint).GetProperty("health").GetString());
        }
        Assert.Contains(d.Metrics(), m => m.Name == "ipvs_checkd_realserver_up" && m["remote_address"] == "127.0.97.22" && m.Value == 0);

        s2.Start();
        AssertAgree(d, Settle, W(Web, s2, 20));

        var (code, body) = d.Post(DaemonProcess.AdminPath("web", "127.0.97.21:18021", "drain"));
        Assert.True(code == 200, body);
        AssertAgree(d, Settle, W(Web, s1, 0), W(Mark, s1, 1));
        using (var status = d.Status())
        {
            Assert.Equal("drain", Row(status, "web", s1.EndPoint).GetProperty("admin").GetProperty("state").GetString());
        }

        // Reload: s3 removed, s4 added. s1 keeps its drain and its health history; s2 is untouched.
        WriteConfig(Config(("127.0.97.21:18021", 10), ("127.0.97.22:18022", 20), ("127.0.97.24:18024", 40)));
        string since;
        using (var status = d.Status())
        {
            since = Row(status, "web", s1.EndPoint).GetProperty("health_since").GetString()!;
        }
        d.Signal("HUP");
        t = AssertAgree(d, Settle, W(Web, s1, 0), W(Web, s2, 20), W(Web, s3, null), W(Web, s4, 40), W(Mark, s1, 1));
        Output?.WriteLine($"SIGHUP: realserver added and removed in all three views after {t.TotalMilliseconds:0} ms");
        using (var status = d.Status())
        {
            var row = Row(status, "web", s1.EndPoint);
            Assert.Equal("drain", row.GetProperty("admin").GetProperty("state").GetString());
            Assert.Equal(since, row.GetProperty("health_since").GetString());
            Assert.Equal("up", Row(status, "web", s2.EndPoint).GetProperty("health").GetString());
        }
        Assert.Equal(1, d.OutputCount("reloaded"));

        // A broken file on SIGHUP: refused with its place in the file, nothing changes.
        WriteConfig(Config(("127.0.97.21:18021", 10), ("127.0.97.25:18025", -3)));
        d.Signal("HUP");
        Poll.Until(() => d.OutputCount("reload refused") == 1, TimeSpan.FromSeconds(20), () => "the refusal in the log:\n" + d.OutputText);
        Assert.Contains(d.Output, l => l.Contains("config.yaml:", StringComparison.Ordinal) && l.Contains("weight", StringComparison.Ordinal));
        // "Nothing changes" cannot be polled for: give it two reconcile intervals to do something wrong.
        Thread.Sleep(ReconcileInterval * 2);
        AssertAgree(d, TimeSpan.Zero, W(Web, s1, 0), W(Web, s2, 20), W(Web, s3, null), W(Web, s4, 40), W(Mark, s1, 1));
        Assert.Equal(1, d.OutputCount("reloaded"));
        Poll.Until(() => File.Exists(Path.Combine(StateDir, "admin.json")), Settle, "the drain saved by nobody in the state directory");

        // A clean stop with on_exit: remove takes out exactly the services of the config.
        d.Signal("TERM");
        Assert.True(d.WaitForExit(TimeSpan.FromSeconds(30)), "the daemon did not stop within 30 s of SIGTERM");
        Assert.Equal(0, d.ExitCode);
        Assert.False(Kernel.HasService(Web.Key));
        Assert.False(Kernel.HasService(Mark.Key));
        Assert.False(Kernel.HasService(Ping.Key));
        Assert.Equal(["-A -t 10.97.9.9:80 -s rr"], Ipvsadm.SaveLines());
    }
}
