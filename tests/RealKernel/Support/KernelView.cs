using System.Net;
using Ipvs.Netlink;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>The kernel table read over netlink with a client of the test's own, as weights by service and destination.</summary>
internal sealed class KernelView : IDisposable
{
    private readonly IpvsClient _client = IpvsClient.Open();

    public IReadOnlyList<ServiceEntry> Dump() => _client.DumpTable();

    /// <summary>Weight of every destination: key "SERVICE DEST" (e.g. "TCP 10.97.0.1:80 127.0.97.1:18001").</summary>
    public Dictionary<string, int> Weights()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in _client.DumpTable())
        {
            map[s.Config.Key.ToString()] = -1;
            foreach (var d in s.Destinations)
            {
                map[Key(s.Config.Key, d.Config.EndPoint)] = d.Config.Weight;
            }
        }
        return map;
    }

    /// <summary>Weight of every destination of one service (one small dump, not the whole table).</summary>
    public Dictionary<IPEndPoint, int> Weights(ServiceKey service)
    {
        var map = new Dictionary<IPEndPoint, int>();
        foreach (var d in _client.DumpDestinations(service))
        {
            map[d.Config.EndPoint] = d.Config.Weight;
        }
        return map;
    }

    public static string Key(ServiceKey service, IPEndPoint destination) => service + " " + destination;

    /// <summary>The weight of one destination, or null when it (or its service) is not in the kernel.</summary>
    public int? Weight(ServiceKey service, IPEndPoint destination) =>
        Weights().TryGetValue(Key(service, destination), out var w) ? w : null;

    public bool HasService(ServiceKey service) => _client.DumpTable().Any(s => s.Config.Key == service);

    public void Dispose() => _client.Dispose();
}
