using Ipvs.Netlink;

namespace Ipvs.Engine;

/// <summary>
/// The engine's port to an IPVS table: the kernel's (over netlink) in production, an in-memory model in unit
/// tests and the demo. Calls are synchronous and short (one dump, one batch); the engine makes them from its own
/// loop, never per check.
/// </summary>
public interface IIpvsTable
{
    /// <summary>What this table is, for logs and the status page: "kernel IPVS (netlink)", "in-memory table".</summary>
    string Description { get; }

    /// <summary>Reads every virtual service with its destinations and stats.</summary>
    IReadOnlyList<ServiceEntry> Dump();

    /// <summary>
    /// Applies the edits in order as one batch. Each edit gets its own result in <paramref name="results"/>
    /// (same index); one failing edit does not stop the others. Throws only when the table itself is unusable
    /// (socket gone), never for a per-edit errno.
    /// </summary>
    void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results);
}
