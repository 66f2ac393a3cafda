using System.Net;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>Each kernel refusal comes back as its typed error in operator words, and the socket stays usable.</summary>
public sealed class ErrorTests : KernelTest
{
    private static readonly ServiceKey Key = Tcp("10.98.0.1", 80);

    public ErrorTests()
    {
        Ipvsadm.RunChecked("-A", "-t", "10.98.0.1:80", "-s", "wlc");
        Ipvsadm.RunChecked("-a", "-t", "10.98.0.1:80", "-r", "10.98.1.1:80", "-g", "-w", "1");
    }

    private void AssertFails(IpvsErrorKind kind, string message, Action action)
    {
        var ex = Assert.Throws<IpvsException>(action);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(message, ex.Message);
        Assert.NotEqual(0, ex.Errno);
        // The socket is still in step: a read and a write both work, and the table is untouched.
        Assert.Equal(1, Client.GetInfo().Version.Major);
        Client.EditDestination(Key, Dest("10.98.1.1", 80, ForwardMethod.Route, 1));
        Assert.Equal(["-A -t 10.98.0.1:80 -s wlc", "-a -t 10.98.0.1:80 -r 10.98.1.1:80 -g -w 1"], IpvsadmSaveLines());
    }

    [Fact]
    public void AddService_Existing_ServiceExists() =>
        AssertFails(IpvsErrorKind.ServiceExists, "service TCP 10.98.0.1:80 already exists",
            () => Client.AddService(new ServiceConfig(Key, "rr")));

    [Fact]
    public void AddDestination_Existing_DestinationExists() =>
        AssertFails(IpvsErrorKind.DestinationExists, "destination 10.98.1.1:80 already exists in TCP 10.98.0.1:80",
            () => Client.AddDestination(Key, Dest("10.98.1.1", 80, ForwardMethod.Route, 5)));

    [Fact]
    public void EditService_Missing_ServiceNotFound() =>
        AssertFails(IpvsErrorKind.ServiceNotFound, "service TCP 10.98.0.2:80 does not exist",
            () => Client.EditService(new ServiceConfig(Tcp("10.98.0.2", 80), "rr")));

    [Fact]
    public void DeleteService_Missing_ServiceNotFound() =>
        AssertFails(IpvsErrorKind.ServiceNotFound, "service UDP 10.98.0.1:80 does not exist",
            () => Client.DeleteService(Udp("10.98.0.1", 80)));

    [Fact]
    public void EditDestination_MissingDestination_DestinationNotFound() =>
        AssertFails(IpvsErrorKind.DestinationNotFound, "destination 10.98.1.9:80 does not exist in TCP 10.98.0.1:80",
            () => Client.EditDestination(Key, Dest("10.98.1.9", 80, ForwardMethod.Route, 1)));

    [Fact]
    public void DeleteDestination_Missing_DestinationNotFound() =>
        AssertFails(IpvsErrorKind.DestinationNotFound, "destination 10.98.1.9:81 does not exist in TCP 10.98.0.1:80",
            () => Client.DeleteDestination(Key, new IPEndPoint(IPAddress.Parse("10.98.1.9"), 81)));

    [Fact]
    public void EditDestination_MissingService_ServiceNotFound() =>
        AssertFails(IpvsErrorKind.ServiceNotFound, "service TCP 10.98.0.7:80 does not exist",
            () => Client.EditDestination(Tcp("10.98.0.7", 80), Dest("10.98.1.1", 80, ForwardMethod.Route, 1)));

    [Fact]
    public void AddService_UnknownScheduler_SchedulerNotFound() =>
        AssertFails(IpvsErrorKind.SchedulerNotFound, "scheduler 'nosuch' is not available in this kernel (no module ip_vs_nosuch)",
            () => Client.AddService(new ServiceConfig(Tcp("10.98.0.2", 80), "nosuch")));

    [Fact]
    public void AddDestination_NegativeWeight_OutOfRange() =>
        AssertFails(IpvsErrorKind.OutOfRange, "weight -1 or thresholds (lower 0, upper 0) out of range for destination 10.98.1.2:80 in TCP 10.98.0.1:80",
            () => Client.AddDestination(Key, Dest("10.98.1.2", 80, ForwardMethod.Route, -1)));

    [Fact]
    public void AddDestination_LowerThresholdAboveUpper_OutOfRange() =>
        AssertFails(IpvsErrorKind.OutOfRange, "weight 1 or thresholds (lower 5, upper 2) out of range for destination 10.98.1.2:80 in TCP 10.98.0.1:80",
            () => Client.AddDestination(Key, Dest("10.98.1.2", 80, ForwardMethod.Route, 1) with { UpperThreshold = 2, LowerThreshold = 5 }));

    [Fact]
    public void AddDestination_MixedFamilyWithoutTunnel_InvalidArgument() =>
        AssertFails(IpvsErrorKind.InvalidArgument,
            "the kernel rejected destination [fd00:98::5]:80 in TCP 10.98.0.1:80 as invalid (a different address family needs tunnel forwarding; the address must be unicast)",
            () => Client.AddDestination(Key, Dest("fd00:98::5", 80, ForwardMethod.Route, 1)));

    [Fact]
    public void AddDestination_MixedFamilyTunnel_AcceptedAndIpvsadmShowsIt()
    {
        Client.AddDestination(Key, Dest("fd00:98::5", 80, ForwardMethod.Tunnel, 1));

        Assert.Contains("-a -t 10.98.0.1:80 -r [fd00:98::5]:80 -i -w 1 --tun-type ipip", IpvsadmSaveLines());
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }

    [Fact]
    public void GetService_Missing_ReturnsNull() => Assert.Null(Client.GetService(Tcp("10.98.0.99", 80)));
}
