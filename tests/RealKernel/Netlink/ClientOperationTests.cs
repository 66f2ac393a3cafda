using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>Every client operation done by our client and read back by ipvsadm, the independent client.</summary>
public sealed class ClientOperationTests : KernelTest
{
    public static TheoryData<string> Schedulers => ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "none"];

    [Theory]
    [MemberData(nameof(Schedulers))]
    public void AddService_EachScheduler_IpvsadmShowsIt(string scheduler)
    {
        Client.AddService(new ServiceConfig(Tcp("10.98.0.1", 80), scheduler));

        Assert.Equal(["-A -t 10.98.0.1:80 -s " + scheduler], IpvsadmSaveLines());
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }

    [Theory]
    [InlineData(ForwardMethod.Masquerade, "-m")]
    [InlineData(ForwardMethod.Route, "-g")]
    [InlineData(ForwardMethod.Tunnel, "-i")]
    [InlineData(ForwardMethod.Local, "-g")]
    public void AddDestination_EachForwardMethod_IpvsadmShowsIt(ForwardMethod forward, string ipvsadmSwitch)
    {
        ServiceKey key = Tcp("10.98.0.1", 80);
        Client.AddService(new ServiceConfig(key, "wlc"));
        Client.AddDestination(key, Dest("10.98.1.1", 80, forward, 3));

        Assert.Contains(IpvsadmSaveLines(), l => l.StartsWith($"-a -t 10.98.0.1:80 -r 10.98.1.1:80 {ipvsadmSwitch} -w 3", StringComparison.Ordinal));
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
        string expectedName = forward switch { ForwardMethod.Masquerade => "Masq", ForwardMethod.Local => "Local", ForwardMethod.Tunnel => "Tunnel", _ => "Route" };
        Assert.Contains(Ipvsadm.RunChecked("-Ln").Split('\n'), l => l.Contains("10.98.1.1:80", StringComparison.Ordinal) && l.Contains(expectedName, StringComparison.Ordinal));
    }

    [Fact]
    public void AddService_Ipv6PersistentWithSchedulerFlags_RoundTripsThroughIpvsadm()
    {
        ServiceKey key = Udp("fd00:98::1", 53);
        Client.AddService(new ServiceConfig(key, "sh", ServiceFlags.Persistent | ServiceFlags.Sched1 | ServiceFlags.Sched2, 60, 64));
        Client.AddDestination(key, Dest("fd00:98::2", 53, ForwardMethod.Masquerade, 5));
        Client.AddDestination(key, Dest("fd00:98::3", 53, ForwardMethod.Route, 0));

        Assert.Contains("-A -u [fd00:98::1]:53 -s sh -p 60 -M 64 -b sh-fallback,sh-port", IpvsadmSaveLines());
        Assert.Contains("-a -u [fd00:98::1]:53 -r [fd00:98::2]:53 -m -w 5", IpvsadmSaveLines());
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }

    [Fact]
    public void AddService_FirewallMarksIpv4AndIpv6_RoundTripThroughIpvsadm()
    {
        Client.AddService(new ServiceConfig(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), "rr", ServiceFlags.OnePacket));
        Client.AddService(new ServiceConfig(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 8), "mh", ServiceFlags.Sched1));
        Client.AddDestination(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), Dest("10.98.1.7", 0, ForwardMethod.Route, 2));

        Assert.Contains("-A -f 7 -s rr -o", IpvsadmSaveLines());
        Assert.Contains("-A -f 8 -6 -s mh -b mh-fallback", IpvsadmSaveLines());
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }

    [Fact]
    public void AddService_PersistenceEngineAndNetmask_RoundTripThroughIpvsadm()
    {
        Client.AddService(new ServiceConfig(Udp("10.98.0.3", 5060), "rr", ServiceFlags.Persistent, 30, 0xFFFFFF00, "sip"));

        Assert.Equal(["-A -u 10.98.0.3:5060 -s rr -p 30 -M 255.255.255.0 --pe sip"], IpvsadmSaveLines());
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }

    [Fact]
    public void AddDestination_TunnelTypes_RoundTripThroughIpvsadm()
    {
        ServiceKey key = Tcp("10.98.0.1", 80);
        Client.AddService(new ServiceConfig(key, "wrr"));
        Client.AddDestination(key, Dest("10.98.1.3", 80, ForwardMethod.Tunnel, 2));
        Client.AddDestination(key, new DestinationConfig(IPAddress.Parse("10.98.1.4"), 80, ForwardMethod.Tunnel, 2, TunnelType: TunnelType.Gue, TunnelPort: 6080));
        Client.AddDestination(key, new DestinationConfig(IPAddress.Parse("10.98.1.5"), 80, ForwardMethod.Tunnel, 2, TunnelType: TunnelType.Gre, TunnelFlags: TunnelFlags.Checksum));

        HashSet<string> lines = IpvsadmSaveLines();
        Assert.Contains("-a -t 10.98.0.1:80 -r 10.98.1.4:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-nocsum", lines);
        Assert.Contains("-a -t 10.98.0.1:80 -r 10.98.1.5:80 -i -w 2 --tun-type gre --tun-csum", lines);
        Assert.Equal(lines, OurSaveLines());
    }

    [Fact]
    public void EditServiceAndDestination_NewValues_IpvsadmShowsThem()
    {
        ServiceKey key = Tcp("10.98.0.1", 80);
        Client.AddService(new ServiceConfig(key, "wlc"));
        Client.AddDestination(key, Dest("10.98.1.1", 80, ForwardMethod.Masquerade, 1));

        Client.EditService(new ServiceConfig(key, "rr", ServiceFlags.Persistent, 120));
        Client.EditDestination(key, Dest("10.98.1.1", 80, ForwardMethod.Masquerade, 9) with { UpperThreshold = 100, LowerThreshold = 10 });

        Assert.Equal(["-A -t 10.98.0.1:80 -s rr -p 120", "-a -t 10.98.0.1:80 -r 10.98.1.1:80 -m -w 9"], IpvsadmSaveLines());
        string thresholds = Ipvsadm.RunChecked("-Ln", "--thresholds");
        Assert.Contains(thresholds.Split('\n'), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["->", "10.98.1.1:80", "100", "10", ..]);
        DestinationEntry read = Assert.Single(Client.GetService(key)!.Destinations);
        Assert.Equal((100u, 10u, 9), (read.Config.UpperThreshold, read.Config.LowerThreshold, read.Config.Weight));
    }

    [Fact]
    public void DeleteDestinationAndService_Removed_IpvsadmShowsEmptyTable()
    {
        ServiceKey key = Tcp("10.98.0.1", 80);
        Client.AddService(new ServiceConfig(key, "wlc"));
        Client.AddDestination(key, Dest("10.98.1.1", 80, ForwardMethod.Route, 1));
        Client.AddDestination(key, Dest("10.98.1.2", 80, ForwardMethod.Route, 1));

        Client.DeleteDestination(key, new IPEndPoint(IPAddress.Parse("10.98.1.1"), 80));
        Assert.Equal(["-A -t 10.98.0.1:80 -s wlc", "-a -t 10.98.0.1:80 -r 10.98.1.2:80 -g -w 1"], IpvsadmSaveLines());

        Client.DeleteService(key);
        Assert.Empty(IpvsadmSaveLines());
        Assert.Null(Client.GetService(key));
    }

    [Fact]
    public void Flush_SeveralServices_IpvsadmShowsEmptyTable()
    {
        Ipvsadm.RunChecked("-A", "-t", "10.98.0.1:80", "-s", "rr");
        Ipvsadm.RunChecked("-A", "-f", "5", "-s", "rr");

        Client.Flush();

        Assert.Empty(IpvsadmSaveLines());
        Assert.Empty(Client.DumpTable());
    }

    [Fact]
    public void GetInfo_VersionAndSize_MatchIpvsadmHeader()
    {
        IpvsInfo info = Client.GetInfo();

        string header = Ipvsadm.RunChecked("-Ln").Split('\n')[0];
        Assert.Equal($"IP Virtual Server version {info.Version.ToString(3)} (size={info.ConnectionTableSize})", header);
    }

    [Fact]
    public void SetTimeouts_NewValues_IpvsadmShowsThemAndGetReadsThem()
    {
        IpvsTimeouts before = Client.GetTimeouts();
        Assert.Equal($"Timeout (tcp tcpfin udp): {before.TcpSeconds} {before.TcpFinSeconds} {before.UdpSeconds}", Ipvsadm.RunChecked("-Ln", "--timeout").Trim());
        try
        {
            Client.SetTimeouts(new IpvsTimeouts(1000, 130, 310));

            Assert.Equal("Timeout (tcp tcpfin udp): 1000 130 310", Ipvsadm.RunChecked("-Ln", "--timeout").Trim());
            Assert.Equal(new IpvsTimeouts(1000, 130, 310), Client.GetTimeouts());
        }
        finally
        {
            Client.SetTimeouts(before);
        }
    }

    [Fact]
    public async Task StatsAndZero_AfterTraffic_MatchIpvsadmThenClear()
    {
        // A local client connecting to the virtual address makes IPVS schedule (and count) a connection,
        // whatever becomes of it afterwards.
        ServiceKey key = Tcp("10.98.0.10", 80);
        Client.AddService(new ServiceConfig(key, "rr"));
        Client.AddDestination(key, Dest("10.98.255.254", 18080, ForwardMethod.Masquerade, 1));
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Any, 18080))
        {
            listener.Start();
            using var c = new TcpClient();
            try
            {
                await c.ConnectAsync(IPAddress.Parse("10.98.0.10"), 80, TestContext.Current.CancellationToken)
                    .AsTask().WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                // refused, reset or unanswered: the attempt still went through IPVS
            }
        }

        // Counters settle once the connection attempt is over; read until ipvsadm agrees with itself and with us.
        ulong[] ours = [], theirs = [];
        for (int attempt = 0; attempt < 40; attempt++)
        {
            ulong[] before = StatsLine(Ipvsadm.RunChecked("-Ln", "--stats", "--exact"), "TCP  10.98.0.10:80").Skip(2).Select(ulong.Parse).ToArray();
            IpvsStats s = Client.GetService(key)!.Stats;
            ours = [s.Connections, s.InPackets, s.OutPackets, s.InBytes, s.OutBytes];
            theirs = StatsLine(Ipvsadm.RunChecked("-Ln", "--stats", "--exact"), "TCP  10.98.0.10:80").Skip(2).Select(ulong.Parse).ToArray();
            if (before.SequenceEqual(theirs) && ours.SequenceEqual(theirs))
            {
                break;
            }
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        Assert.True(ours[0] >= 1, "IPVS counted no connection");
        Assert.True(ours[1] >= 1, "IPVS counted no packet");
        Assert.Equal(theirs, ours);

        // A straggler of the attempt (a retransmitted SYN, a late RST) can still be counted right after the zero:
        // that is traffic, not a zero that failed. Zero again until a read right after it shows all zeros; a
        // zero that did nothing would leave the counts above at least 1 every time.
        ulong[] afterOurs = [];
        string[] afterTheirs = [];
        for (int attempt = 0; attempt < 10; attempt++)
        {
            Client.Zero(key);
            IpvsStats z = Client.GetService(key)!.Stats;
            afterOurs = [z.Connections, z.InPackets, z.OutPackets, z.InBytes, z.OutBytes];
            afterTheirs = StatsLine(Ipvsadm.RunChecked("-Ln", "--stats", "--exact"), "TCP  10.98.0.10:80").Skip(2).ToArray();
            if (afterOurs.All(v => v == 0) && afterTheirs.All(v => v == "0"))
            {
                break;
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        Assert.Equal([0ul, 0ul, 0ul, 0ul, 0ul], afterOurs);
        Assert.Equal(["0", "0", "0", "0", "0"], afterTheirs);
    }

    private static string[] StatsLine(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
