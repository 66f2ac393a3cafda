namespace Ipvs.Netlink.Ipvs;

/// <summary>A mutable holder passed as state to static reply callbacks (they cannot capture).</summary>
internal sealed class StrongBox<T>
{
    public T Value = default!;
}
