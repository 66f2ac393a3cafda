using System.Net;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>
/// Base of the netlink client's real-kernel tests: an empty table before and after each test, and a dummy
/// interface carrying 10.98.0.0/16 and fd00:98::/64 so that test realservers are unicast-routable (the kernel
/// refuses non-unicast destinations). Nothing leaves the VM.
/// </summary>
public abstract class KernelTest : IDisposable
{
    protected const string Link = "ipvsnl0";

    protected KernelTest()
    {
        Ipvsadm.Clear();
        if (ProcessRunner.Run("ip", ["link", "show", Link]).ExitCode != 0)
        {
            ProcessRunner.Run("ip", ["link", "add", Link, "type", "dummy"]).EnsureSuccess();
            ProcessRunner.Run("ip", ["addr", "add", "10.98.255.254/16", "dev", Link]).EnsureSuccess();
            ProcessRunner.Run("ip", ["-6", "addr", "add", "fd00:98::fffe/64", "dev", Link, "nodad"]).EnsureSuccess();
            ProcessRunner.Run("ip", ["link", "set", Link, "up"]).EnsureSuccess();
        }
        Client = IpvsClient.Open();
    }

    protected IpvsClient Client { get; }

    protected static ServiceKey Tcp(string address, ushort port) =>
        ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse(address), port));

    protected static ServiceKey Udp(string address, ushort port) =>
        ServiceKey.ForAddress(IpvsProtocol.Udp, new IPEndPoint(IPAddress.Parse(address), port));

    protected static DestinationConfig Dest(string address, ushort port, ForwardMethod forward, int weight) =>
        new(IPAddress.Parse(address), port, forward, weight);

    /// <summary>Our dump rendered as ipvsadm -Sn lines, as a set (ipvsadm's order is its own).</summary>
    protected HashSet<string> OurSaveLines() => [.. SaveFormat.Lines(Client.DumpTable())];

    protected static HashSet<string> IpvsadmSaveLines() => [.. Ipvsadm.SaveLines()];

    public void Dispose()
    {
        Client.Dispose();
        Ipvsadm.Clear();
        GC.SuppressFinalize(this);
    }
}
