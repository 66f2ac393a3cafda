using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>
/// The kernel's IPVS table over generic netlink. Edits and full reads go over two sockets of their own, each used
/// by one caller at a time (its lock keeps a second caller, e.g. a CLI verb in the same process, from interleaving
/// on that socket). A full read is one dump request per virtual service: at 10,000 realservers it takes seconds on
/// a slow machine, and on one shared socket an edit batch (sent by the engine with its lock held) waited for the
/// whole dump, holding every check result up behind it. On its own socket a batch waits at most for the kernel to
/// finish one service's dump.
/// </summary>
public sealed class NetlinkIpvsTable : IIpvsTable, IDisposable
{
    private readonly Lock _editLock = new();
    private readonly Lock _readLock;
    private readonly IpvsClient _edits;
    private readonly IpvsClient _reads;

    /// <summary>One client for edits and reads alike (they then take turns on its socket).</summary>
    public NetlinkIpvsTable(IpvsClient client)
    {
        _edits = _reads = client ?? throw new ArgumentNullException(nameof(client));
        _readLock = _editLock;
    }

    /// <summary>Edits go over <paramref name="edits"/>, full reads over <paramref name="reads"/>.</summary>
    public NetlinkIpvsTable(IpvsClient edits, IpvsClient reads)
    {
        _edits = edits ?? throw new ArgumentNullException(nameof(edits));
        _reads = reads ?? throw new ArgumentNullException(nameof(reads));
        _readLock = ReferenceEquals(edits, reads) ? _editLock : new Lock();
    }

    /// <summary>
    /// Opens two clients (edits, reads) in the current network namespace (throws with the operator's reason if
    /// IPVS is not there).
    /// </summary>
    public static NetlinkIpvsTable Open(TimeSpan? timeout = null)
    {
        var edits = IpvsClient.Open(timeout);
        try
        {
            return new(edits, IpvsClient.Open(timeout));
        }
        catch
        {
            edits.Dispose();
            throw;
        }
    }

    public string Description => "kernel IPVS (netlink)";

    public IReadOnlyList<ServiceEntry> Dump()
    {
        lock (_readLock)
        {
            return _reads.DumpTable();
        }
    }

    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results)
    {
        lock (_editLock)
        {
            _edits.Apply(edits, results);
        }
    }

    public void Dispose()
    {
        _edits.Dispose();
        if (!ReferenceEquals(_reads, _edits))
        {
            _reads.Dispose();
        }
    }
}
