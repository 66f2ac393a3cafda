using System.Net;
using System.Net.Sockets;
using Ipvs.Engine;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Engine;

/// <summary>
/// The engine end to end on the real kernel: real probes against realservers in this VM, weights written over
/// netlink, read back with our client and cross-checked with ipvsadm. The services cover what the reconciler must
/// compare without false differences: persistence with a netmask, a fwmark service, IPv6 with a prefix netmask,
/// a UDP one-packet service, several schedulers.
/// </summary>
public sealed class EngineReconcileKernelTests : EngineKernelTest
{
    private static readonly ServiceConfig Web = Tcp("10.97.0.1", 80);
    private static readonly ServiceConfig Sticky = new(
        ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.97.0.2"), 443)), "sh",
        ServiceFlags.Persistent, 300, 0xFFFFFF00);
    private static readonly ServiceConfig Mark = new(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 97), "rr");
    private static readonly ServiceConfig Web6 = new(
        ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse("fd00:97::1"), 80)), "wrr",
        ServiceFlags.Persistent, 60, 64);
    private static readonly ServiceConfig Dns = new(
        ServiceKey.ForAddress(IpvsProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.97.0.3"), 53)), "lc", ServiceFlags.OnePacket);

    [Fact]
    public async Task Engine_RealServersStopHangRestart_KernelWeightsFollowAndSteadyStateSendsNothing()
    {
        var r1 = Server("127.0.97.1", 18001);
        var r2 = Server("127.0.97.2", 18002);
        var r3 = Server("127.0.97.3", 18003);
        var r4 = Server("127.0.97.4", 18004);
        var r6 = Server("::1", 18006);
        await StartEngine(new Topology(
            [
                new VirtualServiceSpec("web", Web, [Rs(r1, 10), Rs(r2, 20), Rs(r3, 30)]),
                new VirtualServiceSpec("sticky", Sticky, [Rs(r1, 5), Rs(r2, 6)]),
                new VirtualServiceSpec("mark", Mark, [Rs(r1, 1, ForwardMethod.Route)]),
                new VirtualServiceSpec("web6", Web6, [Rs(r6, 7)]),
                new VirtualServiceSpec("dns", Dns, [Rs(r4, 3)]),
            ],
            Options()));

        var start = WaitForWeights(StartDeadline,
            (Web, r1, 10), (Web, r2, 20), (Web, r3, 30), (Sticky, r1, 5), (Sticky, r2, 6), (Mark, r1, 1), (Web6, r6, 7), (Dns, r4, 3));
        Output?.WriteLine($"all up in the kernel {start.TotalMilliseconds:0} ms after start");
        // The same realserver with the same check in several services is probed once: 5 probes serve 8 realserver checks.
        Assert.Equal(5, Engine.Counters.UniqueChecks);
        Assert.Equal(8, Engine.Counters.CheckSubscriptions);
        var saved = Ipvsadm.SaveLines();
        Assert.Contains("-A -t 10.97.0.1:80 -s wlc", saved);
        Assert.Contains("-a -t 10.97.0.1:80 -r 127.0.97.3:18003 -m -w 30", saved);
        Assert.Contains("-A -t 10.97.0.2:443 -s sh -p 300 -M 255.255.255.0", saved);
        Assert.Contains("-A -f 97 -s rr", saved);
        Assert.Contains("-a -f 97 -r 127.0.97.1:18001 -g -w 1", saved);
        Assert.Contains("-A -t [fd00:97::1]:80 -s wrr -p 60 -M 64", saved);
        Assert.Contains("-a -t [fd00:97::1]:80 -r [::1]:18006 -m -w 7", saved);
        Assert.Contains("-A -u 10.97.0.3:53 -s lc -o", saved);

        AssertNoEditsWhileSteady();

        // Stopped: connections refused (RST). Down after `fall` failed checks, one interval apart.
        r1.Stop();
        var down = WaitForWeights(Interval * Fall + Margin, (Web, r1, 0), (Sticky, r1, 0), (Mark, r1, 0));
        Output?.WriteLine($"RST: weight 0 in the kernel after {down.TotalMilliseconds:0} ms (interval x fall = {(Interval * Fall).TotalMilliseconds:0} ms)");

        // Hung: accepts, never answers; each check fails at its timeout.
        r2.Hang();
        var hung = WaitForWeights(Interval * Fall + CheckTimeout + Margin, (Web, r2, 0), (Sticky, r2, 0));
        Output?.WriteLine($"hang: weight 0 in the kernel after {hung.TotalMilliseconds:0} ms (interval x fall + timeout = {(Interval * Fall + CheckTimeout).TotalMilliseconds:0} ms)");
        WaitForWeights(TimeSpan.Zero, (Web, r3, 30), (Web6, r6, 7), (Dns, r4, 3));
        saved = Ipvsadm.SaveLines();
        Assert.Contains("-a -t 10.97.0.1:80 -r 127.0.97.1:18001 -m -w 0", saved);
        Assert.Contains("-a -t 10.97.0.1:80 -r 127.0.97.2:18002 -m -w 0", saved);
        Assert.Contains("-a -f 97 -r 127.0.97.1:18001 -g -w 0", saved);
        Assert.Contains("-a -t 10.97.0.2:443 -r 127.0.97.2:18002 -m -w 0", saved);
        var web = Engine.Snapshot().VirtualServices.Single(v => v.Name == "web");
        Assert.Equal(HealthState.Down, web.RealServers.Single(r => r.Address.Equals(r1.EndPoint)).Health);
        Assert.Equal(HealthState.Down, web.RealServers.Single(r => r.Address.Equals(r2.EndPoint)).Health);

        r1.Start();
        r2.Start();
        var up = WaitForWeights(Interval * Rise + CheckTimeout + Margin, (Web, r1, 10), (Web, r2, 20), (Sticky, r1, 5), (Sticky, r2, 6), (Mark, r1, 1));
        Output?.WriteLine($"restart: configured weights back after {up.TotalMilliseconds:0} ms (interval x rise = {(Interval * Rise).TotalMilliseconds:0} ms)");
        Assert.Contains("-a -t 10.97.0.1:80 -r 127.0.97.2:18002 -m -w 20", Ipvsadm.SaveLines());

        AssertNoEditsWhileSteady();
        Assert.Equal(0, Engine.Counters.KernelErrors);
        Assert.Equal(0, Engine.Counters.DriftFound);
        Assert.Equal(0, Engine.Counters.KernelConverged);
    }

    [Fact]
    public async Task Engine_EntriesNotInConfig_LeftAlone()
    {
        var r1 = Server("127.0.97.1", 18001);
        Ipvsadm.Run(["-R"], """
            -A -t 10.97.9.9:80 -s rr
            -a -t 10.97.9.9:80 -r 127.0.97.9:80 -m -w 4
            -A -t 10.97.0.1:80 -s wlc
            -a -t 10.97.0.1:80 -r 127.0.97.8:80 -m -w 2

            """).EnsureSuccess();
        await StartEngine(new Topology([new VirtualServiceSpec("web", Web, [Rs(r1, 10)])], Options()));

        WaitForWeights(StartDeadline, (Web, r1, 10));
        AssertNoEditsWhileSteady(2);
        r1.Stop();
        WaitForWeights(Interval * Fall + Margin, (Web, r1, 0));

        var saved = Ipvsadm.SaveLines();
        Assert.Contains("-A -t 10.97.9.9:80 -s rr", saved);
        Assert.Contains("-a -t 10.97.9.9:80 -r 127.0.97.9:80 -m -w 4", saved);
        Assert.Contains("-a -t 10.97.0.1:80 -r 127.0.97.8:80 -m -w 2", saved);
        Assert.Equal(0, Engine.Counters.DriftFound);
    }
}
