using System.Buffers;
using System.Net.Sockets;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink;

public sealed partial class IpvsClient
{
    private const int DumpAttempts = 3;

    /// <summary>
    /// The whole table: one services dump, then one destinations dump per service, with stats.
    /// IPVS resumes dumps by index, so a concurrent writer can make an entry appear twice: duplicates are dropped.
    /// </summary>
    public IReadOnlyList<ServiceEntry> DumpTable()
    {
        List<(ServiceConfig Config, IpvsStats Stats)> services = DumpServices();
        var table = new List<ServiceEntry>(services.Count);
        foreach ((ServiceConfig config, IpvsStats stats) in services)
        {
            table.Add(new ServiceEntry(config, stats, DumpDestinations(config.Key)));
        }
        return table;
    }

    /// <summary>Every virtual service (configuration and stats), without destinations.</summary>
    public List<(ServiceConfig Config, IpvsStats Stats)> DumpServices()
    {
        var state = new List<(ServiceConfig, IpvsStats)>();
        RunDump(IpVs.IPVS_CMD_GET_SERVICE, null, state, static (payload, list) => list.Add(IpvsDecoder.DecodeService(payload)));
        return Deduplicate(state, static s => s.Item1.Key);
    }

    /// <summary>
    /// The destinations of one service. The kernel answers an unknown service with an empty dump, not an
    /// error: use <see cref="GetService"/> when existence matters.
    /// </summary>
    public IReadOnlyList<DestinationEntry> DumpDestinations(ServiceKey service)
    {
        var state = new DestinationDumpState(service.Family);
        RunDump(IpVs.IPVS_CMD_GET_DEST, service, state,
            static (payload, s) => s.Entries.Add(IpvsDecoder.DecodeDestination(payload, s.Family)));
        return Deduplicate(state.Entries, static d => (d.Config.Address, d.Config.Port));
    }

    /// <summary>One service with its destinations, or null when the kernel has no such service.</summary>
    public ServiceEntry? GetService(ServiceKey key)
    {
        var box = new StrongBox<(ServiceConfig, IpvsStats)?>();
        NetlinkError e = Execute(IpVs.IPVS_CMD_GET_SERVICE, w => IpvsEncoder.PutServiceKey(w, key), box,
            static (payload, b) => b.Value = IpvsDecoder.DecodeService(payload));
        if (e.Errno == Errno.ESRCH)
        {
            return null;
        }
        ThrowIfFailed(e, "reading service", key);
        (ServiceConfig config, IpvsStats stats) = box.Value ?? throw AttributeReader.Malformed($"no reply for service {key}");
        return new ServiceEntry(config, stats, DumpDestinations(key));
    }

    public IpvsInfo GetInfo()
    {
        var box = new StrongBox<IpvsInfo?>();
        NetlinkError e = Execute(IpVs.IPVS_CMD_GET_INFO, null, box, static (payload, b) => b.Value = IpvsDecoder.DecodeInfo(payload));
        ThrowIfFailed(e, "reading IPVS info", null);
        return box.Value ?? throw AttributeReader.Malformed("GET_INFO gave no reply");
    }

    public IpvsTimeouts GetTimeouts()
    {
        var box = new StrongBox<IpvsTimeouts?>();
        NetlinkError e = Execute(IpVs.IPVS_CMD_GET_CONFIG, null, box, static (payload, b) => b.Value = IpvsDecoder.DecodeTimeouts(payload));
        ThrowIfFailed(e, "reading timeouts", null);
        return box.Value ?? throw AttributeReader.Malformed("GET_CONFIG gave no reply");
    }

    /// <summary>Sets connection timeouts; a 0 leaves that timeout unchanged (as in the kernel).</summary>
    public void SetTimeouts(IpvsTimeouts timeouts)
    {
        NetlinkError e = Execute<object?>(IpVs.IPVS_CMD_SET_CONFIG, w =>
        {
            w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP, timeouts.TcpSeconds);
            w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, timeouts.TcpFinSeconds);
            w.PutU32(IpVs.IPVS_CMD_ATTR_TIMEOUT_UDP, timeouts.UdpSeconds);
        }, null, null);
        ThrowIfFailed(e, "setting timeouts", null);
    }

    /// <summary>Zeroes the counters of one service, or of every service when <paramref name="service"/> is null.</summary>
    public void Zero(ServiceKey? service = null)
    {
        NetlinkError e = Execute<object?>(IpVs.IPVS_CMD_ZERO,
            service is { } key ? w => IpvsEncoder.PutServiceKey(w, key) : null, null, null);
        ThrowIfFailed(e, "zeroing counters", service);
    }

    /// <summary>Deletes every virtual service (and so every destination) in this network namespace.</summary>
    public void Flush()
    {
        NetlinkError e = Execute<object?>(IpVs.IPVS_CMD_FLUSH, null, null, null);
        ThrowIfFailed(e, "flushing the table", null);
    }

    private void RunDump<TState>(byte cmd, ServiceKey? service, TState state, ReadOnlySpanAction<byte, TState> onMessage)
        where TState : class
    {
        for (int attempt = 1; ; attempt++)
        {
            uint seq = Begin(cmd, IpvsEncoder.RequestDump);
            if (service is { } key)
            {
                IpvsEncoder.PutServiceKey(_connection.Writer, key);
            }
            _connection.Writer.EndMessage();
            NetlinkError e;
            try
            {
                e = _connection.Dump(seq, state, onMessage);
            }
            catch (IpvsException ex) when (ex.Kind == IpvsErrorKind.DumpInterrupted && attempt < DumpAttempts)
            {
                Clear(state);
                continue;
            }
            if (e.Errno == Errno.ENOENT && attempt == 1 && RefreshFamily())
            {
                continue;
            }
            ThrowIfFailed(e, cmd == IpVs.IPVS_CMD_GET_SERVICE ? "dumping services" : "dumping destinations", service);
            return;
        }
    }

    private static void Clear<TState>(TState state)
    {
        switch (state)
        {
            case System.Collections.IList list: list.Clear(); break;
            case DestinationDumpState d: d.Entries.Clear(); break;
        }
    }

    private static List<T> Deduplicate<T, TKey>(List<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        if (items.Count < 2)
        {
            return items;
        }
        var seen = new HashSet<TKey>(items.Count);
        var unique = new List<T>(items.Count);
        foreach (T item in items)
        {
            if (seen.Add(key(item)))
            {
                unique.Add(item);
            }
        }
        return unique;
    }

    private static void ThrowIfFailed(NetlinkError e, string what, ServiceKey? key)
    {
        if (!e.IsAck)
        {
            throw IpvsErrors.ForCommand(what, key, e.Errno, e.KernelMessage);
        }
    }

    private sealed class DestinationDumpState(AddressFamily family)
    {
        public AddressFamily Family { get; } = family;

        public List<DestinationEntry> Entries { get; } = [];
    }
}
