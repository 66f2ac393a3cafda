using System.Buffers.Binary;
using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Table;

/// <summary>
/// The order ipvsadm lists in (ipvs_cmp_services, ipvs_cmp_dests): services by fwmark, address family, protocol,
/// address, port; destinations by address, port. Address words are compared the way ipvsadm does, as a
/// difference of host-order u32 values truncated to int, so far-apart addresses order exactly as ipvsadm's do.
/// </summary>
internal static class TableOrder
{
    public static List<ServiceEntry> Sort(IReadOnlyList<ServiceEntry> table)
    {
        var services = new List<ServiceEntry>(table.Count);
        foreach (ServiceEntry s in table)
        {
            var dests = new List<DestinationEntry>(s.Destinations);
            dests.Sort(static (a, b) => CompareEndpoint(a.Config.Address, a.Config.Port, b.Config.Address, b.Config.Port));
            services.Add(s with { Destinations = dests });
        }
        services.Sort(static (a, b) =>
        {
            ServiceKey x = a.Config.Key, y = b.Config.Key;
            int c = x.FirewallMark.CompareTo(y.FirewallMark);
            if (c != 0)
            {
                return c;
            }
            c = ((int)x.Family).CompareTo((int)y.Family);
            if (c != 0)
            {
                return c;
            }
            c = ((ushort)x.Protocol).CompareTo((ushort)y.Protocol);
            return c != 0 ? c : CompareEndpoint(x.Address, x.Port, y.Address, y.Port);
        });
        return services;
    }

    private static int CompareEndpoint(IPAddress? a, ushort aPort, IPAddress? b, ushort bPort)
    {
        if (a is not null && b is not null)
        {
            Span<byte> x = stackalloc byte[16];
            Span<byte> y = stackalloc byte[16];
            x.Clear();
            y.Clear();
            a.TryWriteBytes(x, out int xn);
            b.TryWriteBytes(y, out _);
            int r = 0;
            for (int i = 0; r == 0 && i < xn; i += 4)
            {
                r = unchecked((int)(BinaryPrimitives.ReadUInt32BigEndian(x[i..]) - BinaryPrimitives.ReadUInt32BigEndian(y[i..])));
            }
            if (r != 0)
            {
                return r;
            }
        }
        return aPort - bPort;
    }
}
