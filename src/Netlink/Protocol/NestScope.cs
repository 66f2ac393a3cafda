namespace Ipvs.Netlink.Protocol;

/// <summary>Closes a nested attribute when disposed: <c>using (w.BeginNest(type)) { ... }</c>. A struct: no allocation.</summary>
internal readonly struct NestScope : IDisposable
{
    private readonly NetlinkWriter _writer;
    private readonly int _start;

    internal NestScope(NetlinkWriter writer, int start)
    {
        _writer = writer;
        _start = start;
    }

    public void Dispose() => _writer.EndNest(_start);
}
