using System.Buffers.Binary;
using System.Net;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Tests;

/// <summary>The client against a fake kernel at the datagram seam (the real kernel is in tests/RealKernel).</summary>
public class IpvsClientTests
{
    private static readonly ServiceKey Service = NetlinkWriterTests.Service;

    private static IpvsClient Open(FakeKernel kernel) =>
        IpvsClient.Open(new GenlConnection(kernel, TimeSpan.FromSeconds(1), 100));

    private static byte[] AckFor(FakeKernel k, byte[] request, int error, string? text = null)
    {
        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8));
        return FakeKernel.Ack(seq, (uint)request.Length, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)), 5, error, k.PortId, text);
    }

    [Fact]
    public void Open_NoIpvsFamily_ThrowsNotAvailableWithOperatorMessage()
    {
        var ex = Assert.Throws<IpvsException>(() => Open(new FakeKernel { HasIpvs = false }));
        Assert.Equal(IpvsErrorKind.NotAvailable, ex.Kind);
        Assert.Equal("this kernel has no IPVS (ip_vs module not loaded)", ex.Message);
    }

    [Fact]
    public void Open_InfoRefusedWithEperm_ThrowsPermissionDenied()
    {
        var ex = Assert.Throws<IpvsException>(() => Open(new FakeKernel { InfoErrno = Errno.EPERM }));
        Assert.Equal(IpvsErrorKind.PermissionDenied, ex.Kind);
        Assert.Contains("CAP_NET_ADMIN is required", ex.Message);
    }

    [Fact]
    public void Open_Resolves_FamilyAndInfo()
    {
        using IpvsClient client = Open(new FakeKernel());
        Assert.Equal(FakeKernel.FamilyId, client.FamilyId);
        Assert.Equal(new Version(1, 2, 1), client.Info.Version);
    }

    [Fact]
    public void EditDestination_ServiceMissing_ThrowsServiceNotFoundInOperatorWords()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => [AckFor(k, req, -Errno.ESRCH)];
        using IpvsClient client = Open(k);
        var ex = Assert.Throws<IpvsException>(() => client.EditDestination(Service, NetlinkWriterTests.Weight5));
        Assert.Equal(IpvsErrorKind.ServiceNotFound, ex.Kind);
        Assert.Equal("service TCP 10.0.0.1:80 does not exist", ex.Message);
        Assert.Equal(Errno.ESRCH, ex.Errno);
    }

    [Fact]
    public void AddDestination_Exists_ThrowsDestinationExists()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => [AckFor(k, req, -Errno.EEXIST)];
        using IpvsClient client = Open(k);
        var d = new DestinationConfig(IPAddress.Parse("10.0.1.1"), 80, ForwardMethod.Route, 1);
        var ex = Assert.Throws<IpvsException>(() => client.AddDestination(Service, d));
        Assert.Equal(IpvsErrorKind.DestinationExists, ex.Kind);
        Assert.Equal("destination 10.0.1.1:80 already exists in TCP 10.0.0.1:80", ex.Message);
    }

    [Fact]
    public void Request_StaleAndForeignRepliesQueuedFirst_AreDiscarded()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) =>
        [
            FakeKernel.Ack(seq - 1, 140, 0x24, 5, -Errno.EEXIST, k.PortId), // stale: an earlier request timed out
            FakeKernel.Ack(seq, 140, 0x24, 5, -Errno.EEXIST, k.PortId + 1), // another port id
            AckFor(k, req, 0),
        ];
        using IpvsClient client = Open(k);
        client.EditDestination(Service, NetlinkWriterTests.Weight5); // does not throw: only the matching ACK counts
    }

    [Fact]
    public void Request_NoAnswer_ThrowsTimeout()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => [];
        using IpvsClient client = Open(k);
        var ex = Assert.Throws<IpvsException>(() => client.Flush());
        Assert.Equal(IpvsErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public void Apply_SomeEditsFail_EachEditGetsItsOwnResult()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => [AckFor(k, req, seq % 7 == 0 ? -Errno.ENOENT : 0)];
        using IpvsClient client = Open(k);
        IpvsEdit[] edits = Enumerable.Range(0, 50)
            .Select(i => IpvsEdit.EditDestination(Service, new DestinationConfig(IPAddress.Parse($"10.0.1.{i + 1}"), 80, ForwardMethod.Route, i)))
            .ToArray();
        var results = new IpvsEditResult[edits.Length];
        client.Apply(edits, results);
        Assert.Equal(50, k.DatagramMessageCounts[2]); // one datagram for all 50 (after family + info)
        var seqs = k.Requests.Skip(1).Select(r => r.Seq).ToArray();
        for (int i = 0; i < edits.Length; i++)
        {
            bool shouldFail = seqs[i] % 7 == 0;
            Assert.Equal(!shouldFail, results[i].Succeeded);
            if (shouldFail)
            {
                Assert.Equal($"destination 10.0.1.{i + 1}:80 does not exist in TCP 10.0.0.1:80", results[i].Message);
            }
        }
        Assert.Contains(results, r => !r.Succeeded);
    }

    [Fact]
    public void Apply_MoreEditsThanInFlightBound_SplitsIntoSeveralDatagrams()
    {
        // 64 KiB receive buffer → 32 ACKs in flight at most.
        var k = new FakeKernel { ReceiveBufferBytes = 64 * 1024 };
        using IpvsClient client = Open(k);
        IpvsEdit[] edits = Enumerable.Repeat(IpvsEdit.EditDestination(Service, NetlinkWriterTests.Weight5), 100).ToArray();
        var results = new IpvsEditResult[edits.Length];
        client.Apply(edits, results);
        int[] counts = k.DatagramMessageCounts.Skip(2).ToArray();
        Assert.Equal(100, counts.Sum());
        Assert.All(counts, c => Assert.True(c <= 32, $"{c} messages in one datagram"));
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public void Apply_InvalidEdit_ReportedWithoutSendingAndOthersApplied()
    {
        var k = new FakeKernel();
        using IpvsClient client = Open(k);
        IpvsEdit[] edits =
        [
            IpvsEdit.EditDestination(Service, NetlinkWriterTests.Weight5),
            new IpvsEdit(IpvsEditKind.AddService, Service, null, null),
            IpvsEdit.EditDestination(Service, NetlinkWriterTests.Weight5),
        ];
        var results = new IpvsEditResult[3];
        client.Apply(edits, results);
        Assert.True(results[0].Succeeded);
        Assert.Equal(Errno.EINVAL, results[1].Errno);
        Assert.True(results[2].Succeeded);
        Assert.Equal(3, k.Requests.Count); // info + 2 edits
    }

    [Fact]
    public void Edit_FamilyIdWentStale_ResolvesAgainAndRetries()
    {
        var k = new FakeKernel();
        using IpvsClient client = Open(k);
        k.CurrentFamilyId = 0x30; // module reloaded
        client.EditDestination(Service, NetlinkWriterTests.Weight5);
        Assert.Equal(0x30, client.FamilyId);
    }

    [Fact]
    public void DumpTable_ServicesAndDestinations_ReadBack()
    {
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => cmd switch
        {
            4 =>
            [
                [.. k.Reply(seq, 1, w => ServiceAttrs(w, "10.0.0.1"), LinuxNetlink.NLM_F_MULTI),
                    .. k.Reply(seq, 1, w => ServiceAttrs(w, "10.0.0.2"), LinuxNetlink.NLM_F_MULTI),
                    .. k.Reply(seq, 1, w => ServiceAttrs(w, "10.0.0.1"), LinuxNetlink.NLM_F_MULTI)], // seen twice: resumed by index
                k.Done(seq),
            ],
            8 => [k.Reply(seq, 5, DestAttrs, LinuxNetlink.NLM_F_MULTI), k.Done(seq)],
            _ => [AckFor(k, req, 0)],
        };
        using IpvsClient client = Open(k);
        IReadOnlyList<ServiceEntry> table = client.DumpTable();
        Assert.Equal(2, table.Count);
        Assert.Equal("TCP 10.0.0.2:80", table[1].Config.Key.ToString());
        Assert.Equal(IPAddress.Parse("10.0.1.1"), Assert.Single(table[0].Destinations).Config.Address);
    }

    [Fact]
    public void DumpTable_EveryReceive_OffersAtMostOnePage()
    {
        // The kernel sizes each dump datagram to the largest receive the socket has offered: a 64 KiB offer made it
        // allocate (and zero) 32 KiB per service part of a table read.
        var k = new FakeKernel();
        k.OnRequest = (cmd, seq, req) => cmd switch
        {
            4 => [k.Reply(seq, 1, w => ServiceAttrs(w, "10.0.0.1"), LinuxNetlink.NLM_F_MULTI), k.Done(seq)],
            8 => [k.Reply(seq, 5, DestAttrs, LinuxNetlink.NLM_F_MULTI), k.Done(seq)],
            _ => [AckFor(k, req, 0)],
        };
        using IpvsClient client = Open(k);
        Assert.Single(client.DumpTable());
        Assert.InRange(k.LargestReceiveBuffer, 1, Math.Min(Environment.SystemPageSize, 8192));
    }

    [Fact]
    public void Dump_InterruptedOnce_RetriesAndSucceeds()
    {
        var k = new FakeKernel();
        int dumps = 0;
        k.OnRequest = (cmd, seq, req) =>
        {
            ushort flags = (ushort)(LinuxNetlink.NLM_F_MULTI | (dumps++ == 0 ? LinuxNetlink.NLM_F_DUMP_INTR : 0));
            return [k.Reply(seq, 1, w => ServiceAttrs(w, "10.0.0.9"), flags), k.Done(seq)];
        };
        using IpvsClient client = Open(k);
        var services = client.DumpServices();
        Assert.Single(services);
        Assert.Equal(2, dumps);
    }

    private static void ServiceAttrs(NetlinkWriter w, string address)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_SERVICE))
        {
            w.PutU16(IpVs.IPVS_SVC_ATTR_AF, 2);
            w.PutU16(IpVs.IPVS_SVC_ATTR_PROTOCOL, 6);
            Span<byte> a = w.Attribute(IpVs.IPVS_SVC_ATTR_ADDR, 16);
            IPAddress.Parse(address).TryWriteBytes(a, out _);
            w.PutBe16(IpVs.IPVS_SVC_ATTR_PORT, 80);
            w.PutString(IpVs.IPVS_SVC_ATTR_SCHED_NAME, "wlc");
        }
    }

    private static void DestAttrs(NetlinkWriter w)
    {
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
        {
            Span<byte> a = w.Attribute(IpVs.IPVS_DEST_ATTR_ADDR, 16);
            IPAddress.Parse("10.0.1.1").TryWriteBytes(a, out _);
            w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, 80);
            w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, 1);
            w.PutU16(IpVs.IPVS_DEST_ATTR_ADDR_FAMILY, 2);
        }
    }
}
