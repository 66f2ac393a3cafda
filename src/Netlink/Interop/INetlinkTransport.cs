namespace Ipvs.Netlink.Interop;

/// <summary>
/// The datagram seam under the protocol code: the real <see cref="NetlinkSocket"/>, or a fake kernel in unit
/// tests that answers requests with reply bytes.
/// </summary>
internal interface INetlinkTransport : IDisposable
{
    uint PortId { get; }

    int ReceiveBufferBytes { get; }

    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>One datagram into <paramref name="buffer"/>; -1 when <paramref name="deadline"/> (TickCount64 ms) passed.</summary>
    int Receive(Span<byte> buffer, long deadline);
}
