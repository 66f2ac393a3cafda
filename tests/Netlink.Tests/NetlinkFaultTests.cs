using System.Net;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

/// <summary>
/// Kernel answers gone wrong, at the message seam: a dump interrupted every time, a reply cut short, a receive queue
/// overrun (ENOBUFS). Each is retried or reported as a typed <see cref="IpvsException"/>, and the client stays usable.
/// </summary>
public sealed class NetlinkFaultTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.9:80"));

    private static IpvsClient Open(INetlinkTransport transport) =>
        IpvsClient.Open(new GenlConnection(transport, TimeSpan.FromSeconds(1), 100));

    private static byte[] ServiceReply(FakeKernel k, uint seq, ushort flags = LinuxNetlink.NLM_F_MULTI) =>
        k.Reply(seq, IpVs.IPVS_CMD_NEW_SERVICE, w =>
        {
            using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
            {
                w.PutU16(IpVs.IPVS_SVC_ATTR_AF, 2);
                w.PutU16(IpVs.IPVS_SVC_ATTR_PROTOCOL, 6);
                IPAddress.Parse("10.0.0.9").TryWriteBytes(w.Attribute(IpVs.IPVS_SVC_ATTR_ADDR, 16), out _);
                w.PutBe16(IpVs.IPVS_SVC_ATTR_PORT, 80);
                w.PutString(IpVs.IPVS_SVC_ATTR_SCHED_NAME, "wlc");
            }
        }, flags);

    [Fact]
    public void DumpServices_InterruptedEveryTime_ReportsDumpInterruptedAfterThreeAttempts()
    {
        var k = new FakeKernel();
        var dumps = 0;
        k.OnRequest = (cmd, seq, req) =>
        {
            dumps++;
            return [ServiceReply(k, seq, LinuxNetlink.NLM_F_MULTI | LinuxNetlink.NLM_F_DUMP_INTR), k.Done(seq)];
        };
        using var client = Open(k);

        var ex = Assert.Throws<IpvsException>(() => client.DumpServices());

        Assert.Equal(IpvsErrorKind.DumpInterrupted, ex.Kind);
        Assert.Equal(3, dumps);
    }

    [Fact]
    public void DumpServices_ReplyCutShort_IsMalformedReplyAndTheNextDumpWorks()
    {
        var k = new FakeKernel();
        var dumps = 0;
        k.OnRequest = (cmd, seq, req) =>
        {
            var reply = ServiceReply(k, seq);
            // The first answer loses its last 10 bytes: nlmsg_len now points past the datagram.
            return dumps++ == 0 ? [reply[..^10]] : [reply, k.Done(seq)];
        };
        using var client = Open(k);

        var ex = Assert.Throws<IpvsException>(() => client.DumpServices());
        Assert.Equal(IpvsErrorKind.MalformedReply, ex.Kind);

        var services = client.DumpServices();
        Assert.Equal(Web, Assert.Single(services).Config.Key);
    }

    [Fact]
    public void Apply_ReceiveQueueOverrun_IsReportedAndStaleAcksAreSkippedAfterwards()
    {
        var k = new FakeKernel();
        var transport = new OverrunOnce(k);
        using var client = Open(transport);
        var edit = IpvsEdit.EditDestination(Web, new DestinationConfig(IPAddress.Parse("10.0.1.1"), 80, ForwardMethod.Masquerade, 5));
        transport.Armed = true;

        // The ACKs of this batch are "lost" to the overrun: the outcome is unknown, and the client says so.
        var results = new IpvsEditResult[1];
        var ex = Assert.Throws<IpvsException>(() => client.Apply([edit], results));
        Assert.Equal(IpvsErrorKind.ReceiveQueueOverrun, ex.Kind);

        // The next batch gets its own ACK, not the stale one still queued from before.
        client.Apply([edit, edit], results = new IpvsEditResult[2]);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(3, k.Requests.Count(r => r.Cmd == IpVs.IPVS_CMD_SET_DEST));
    }

    /// <summary>The fake kernel behind a socket whose next receive, once armed, fails as NetlinkSocket does on ENOBUFS.</summary>
    private sealed class OverrunOnce(FakeKernel kernel) : INetlinkTransport
    {
        public bool Armed { get; set; }

        public uint PortId => kernel.PortId;

        public int ReceiveBufferBytes => kernel.ReceiveBufferBytes;

        public void Send(ReadOnlySpan<byte> datagram) => kernel.Send(datagram);

        public int Receive(Span<byte> buffer, long deadline)
        {
            if (Armed)
            {
                Armed = false;
                throw new IpvsException(IpvsErrorKind.ReceiveQueueOverrun, Errno.ENOBUFS,
                    "the netlink receive queue overflowed (ENOBUFS): replies were lost; re-read the table");
            }
            return kernel.Receive(buffer, deadline);
        }

        public void Dispose() => kernel.Dispose();
    }
}
