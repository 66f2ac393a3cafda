using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Protocol;

/// <summary>
/// Iterates the netlink messages of one received datagram. Each message must satisfy
/// 16 &lt;= nlmsg_len &lt;= bytes remaining, else <see cref="IpvsException"/> (MalformedReply).
/// </summary>
internal ref struct MessageReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public MessageReader(ReadOnlySpan<byte> datagram)
    {
        _data = datagram;
        _offset = 0;
        Header = default;
        Payload = default;
    }

    public nlmsghdr Header { get; private set; }

    /// <summary>Bytes after the 16-byte header, up to nlmsg_len.</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    public bool MoveNext()
    {
        int remaining = _data.Length - _offset;
        if (remaining < LinuxNetlink.NLMSG_HDRLEN)
        {
            if (remaining != 0 && _data[_offset..].IndexOfAnyExcept((byte)0) >= 0)
            {
                throw AttributeReader.Malformed($"{remaining} stray bytes after the last message");
            }
            return false;
        }
        ReadOnlySpan<byte> h = _data[_offset..];
        var header = new nlmsghdr
        {
            nlmsg_len = HostOrder.ReadU32(h),
            nlmsg_type = HostOrder.ReadU16(h[4..]),
            nlmsg_flags = HostOrder.ReadU16(h[6..]),
            nlmsg_seq = HostOrder.ReadU32(h[8..]),
            nlmsg_pid = HostOrder.ReadU32(h[12..]),
        };
        if (header.nlmsg_len < LinuxNetlink.NLMSG_HDRLEN || header.nlmsg_len > remaining)
        {
            throw AttributeReader.Malformed($"message length {header.nlmsg_len} at offset {_offset} does not fit the {remaining} bytes left");
        }
        Header = header;
        Payload = _data.Slice(_offset + LinuxNetlink.NLMSG_HDRLEN, (int)header.nlmsg_len - LinuxNetlink.NLMSG_HDRLEN);
        _offset = Math.Min(_data.Length, _offset + LinuxNetlink.Align((int)header.nlmsg_len));
        return true;
    }
}
