using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Ipvs.Netlink;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Bench.Micro.Netlink;

/// <summary>
/// Message encode/decode of the IPVS client. Budget: encoding a weight edit allocates 0 bytes (also asserted
/// by Ipvs.Netlink.Tests' WriteEdit_WeightEditSteadyState_AllocatesNothing). Run:
/// dotnet run -c Release --project bench/Micro -- --filter '*NetlinkCodec*' --job short
/// </summary>
[MemoryDiagnoser]
public class NetlinkCodecBenchmarks
{
    private readonly NetlinkWriter _writer = new(256 * 1024);
    private IpvsEdit _edit;
    private IpvsEdit[] _batch = [];
    private byte[] _destReply = [];
    private byte[] _ack = [];

    [GlobalSetup]
    public void Setup()
    {
        var key = ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80));
        _edit = IpvsEdit.EditDestination(key, new DestinationConfig(IPAddress.Parse("10.0.0.2"), 80, ForwardMethod.Route, 5));
        _batch = [.. Enumerable.Range(0, 1000).Select(i =>
            IpvsEdit.EditDestination(key, new DestinationConfig(new IPAddress(new byte[] { 10, 0, (byte)(i / 250), (byte)(i % 250 + 1) }), 80, ForwardMethod.Masquerade, i)))];

        // A destination as the kernel sends it in a GET_DEST dump (5.3+ attribute set, STATS and STATS64).
        var w = new NetlinkWriter();
        w.BeginMessage(0x24, LinuxNetlink.NLM_F_MULTI, 1);
        w.WriteGenlHeader(IpVs.IPVS_CMD_NEW_DEST, 1);
        using (w.BeginNest(IpVs.IPVS_CMD_ATTR_DEST))
        {
            IPAddress.Parse("10.0.0.2").TryWriteBytes(w.Attribute(IpVs.IPVS_DEST_ATTR_ADDR, 16), out _);
            w.PutBe16(IpVs.IPVS_DEST_ATTR_PORT, 80);
            w.PutU32(IpVs.IPVS_DEST_ATTR_FWD_METHOD, 3);
            w.PutU32(IpVs.IPVS_DEST_ATTR_WEIGHT, 5);
            w.PutU8(IpVs.IPVS_DEST_ATTR_TUN_TYPE, 0);
            w.PutBe16(IpVs.IPVS_DEST_ATTR_TUN_PORT, 0);
            w.PutU16(IpVs.IPVS_DEST_ATTR_TUN_FLAGS, 0);
            for (ushort a = IpVs.IPVS_DEST_ATTR_U_THRESH; a <= IpVs.IPVS_DEST_ATTR_PERSIST_CONNS; a++)
            {
                w.PutU32(a, 7);
            }
            w.PutU16(IpVs.IPVS_DEST_ATTR_ADDR_FAMILY, 2);
            foreach ((ushort type, bool wide) in new[] { (IpVs.IPVS_DEST_ATTR_STATS, false), (IpVs.IPVS_DEST_ATTR_STATS64, true) })
            {
                using (w.BeginNest(type))
                {
                    for (ushort s = 1; s <= 10; s++)
                    {
                        if (wide || s is 4 or 5)
                        {
                            w.PutU64(s, 1000u * s);
                        }
                        else
                        {
                            w.PutU32(s, 1000u * s);
                        }
                    }
                }
            }
        }
        w.EndMessage();
        _destReply = w.Written[LinuxNetlink.NLMSG_HDRLEN..].ToArray();

        _ack = new byte[20];
        BitConverter.TryWriteBytes(_ack.AsSpan(4), 140u);
    }

    [Benchmark(Baseline = true)]
    public int EncodeWeightEdit()
    {
        _writer.Reset();
        IpvsEncoder.WriteEdit(_writer, 0x24, 1, _edit);
        return _writer.Length;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int EncodeBatchOf1000()
    {
        _writer.Reset();
        for (int i = 0; i < _batch.Length; i++)
        {
            IpvsEncoder.WriteEdit(_writer, 0x24, (uint)i, _batch[i]);
        }
        return _writer.Length;
    }

    [Benchmark]
    public int DecodeAck() => NetlinkError.Parse(LinuxNetlink.NLM_F_CAPPED, _ack).Errno;

    [Benchmark]
    public DestinationEntry DecodeDestination() => IpvsDecoder.DecodeDestination(_destReply, AddressFamily.InterNetwork);
}
