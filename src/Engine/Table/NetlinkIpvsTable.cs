using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>
/// The kernel's IPVS table over generic netlink. One client, used by one caller at a time (the engine loop;
/// the lock keeps a second caller, e.g. a CLI verb in the same process, from interleaving on the socket).
/// </summary>
public sealed class NetlinkIpvsTable : IIpvsTable, IDisposable
{
    private readonly Lock _lock = new();
    private readonly IpvsClient _client;

    public NetlinkIpvsTable(IpvsClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>Opens a client in the current network namespace (throws with the operator's reason if IPVS is not there).</summary>
    public static NetlinkIpvsTable Open(TimeSpan? timeout = null) => new(IpvsClient.Open(timeout));

    public string Description => "kernel IPVS (netlink)";

    public IReadOnlyList<ServiceEntry> Dump()
    {
        lock (_lock)
        {
            return _client.DumpTable();
        }
    }

    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results)
    {
        lock (_lock)
        {
            _client.Apply(edits, results);
        }
    }

    public void Dispose() => _client.Dispose();
}
