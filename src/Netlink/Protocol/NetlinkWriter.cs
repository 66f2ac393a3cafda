using System.Buffers.Binary;
using System.Text;
using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Protocol;

/// <summary>
/// Writes netlink messages and their attributes into one reusable buffer: lengths, padding and nesting are
/// computed here, never by callers. Several messages may be written back to back to form one datagram.
/// Allocates only when the buffer has to grow; a steady-state message costs no allocation.
/// <code>
/// nlmsghdr (16) | genlmsghdr (4) | nlattr (4) payload pad | nlattr (4) [nested attrs...] | ...
/// </code>
/// </summary>
internal sealed class NetlinkWriter
{
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public NetlinkWriter(int capacity = 4096) => _buffer = new byte[capacity];

    /// <summary>Bytes written so far (whole messages, padded).</summary>
    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
    }

    /// <summary>Starts a message; <see cref="EndMessage"/> fills in its length.</summary>
    public void BeginMessage(ushort type, ushort flags, uint seq)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("previous message not ended");
        }
        _messageStart = _length;
        Span<byte> h = Reserve(LinuxNetlink.NLMSG_HDRLEN);
        HostOrder.WriteU32(h, 0);
        HostOrder.WriteU16(h[4..], type);
        HostOrder.WriteU16(h[6..], flags);
        HostOrder.WriteU32(h[8..], seq);
        HostOrder.WriteU32(h[12..], 0); // nlmsg_pid: 0 in requests
    }

    public void WriteGenlHeader(byte cmd, byte version)
    {
        Span<byte> g = Reserve(LinuxNetlink.GENL_HDRLEN);
        g[0] = cmd;
        g[1] = version;
        g[2] = 0;
        g[3] = 0;
    }

    /// <summary>Ends the current message: nlmsg_len is the unpadded length, the buffer is padded to 4.</summary>
    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("no message begun");
        }
        WriteHostU32(_messageStart, (uint)(_length - _messageStart));
        Pad();
        _messageStart = -1;
    }

    /// <summary>Drops the message being written (used when a batch datagram is full).</summary>
    public void AbandonMessage()
    {
        if (_messageStart >= 0)
        {
            _length = _messageStart;
            _messageStart = -1;
        }
    }

    public NestScope BeginNest(ushort type)
    {
        int start = _length;
        Span<byte> h = Reserve(LinuxNetlink.NLA_HDRLEN);
        HostOrder.WriteU16(h[2..], type);
        return new NestScope(this, start);
    }

    internal void EndNest(int start)
    {
        // A nest's nla_len covers its inner attributes including their padding.
        int len = _length - start;
        if (len > ushort.MaxValue)
        {
            throw new InvalidOperationException("nested attribute longer than 65535 bytes");
        }
        HostOrder.WriteU16(_buffer.AsSpan(start), (ushort)len);
    }

    public void PutU8(ushort type, byte value) => Attribute(type, 1)[0] = value;

    public void PutU16(ushort type, ushort value) => HostOrder.WriteU16(Attribute(type, 2), value);

    /// <summary>A u16 in network byte order (ports).</summary>
    public void PutBe16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Attribute(type, 2), value);

    public void PutU32(ushort type, uint value) => HostOrder.WriteU32(Attribute(type, 4), value);

    public void PutBe32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Attribute(type, 4), value);

    public void PutU64(ushort type, ulong value) => HostOrder.WriteU64(Attribute(type, 8), value);

    public void PutBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(Attribute(type, value.Length));

    /// <summary>A NUL-terminated ASCII string (NLA_NUL_STRING).</summary>
    public void PutString(ushort type, string value)
    {
        int n = Encoding.ASCII.GetByteCount(value);
        Span<byte> p = Attribute(type, n + 1);
        Encoding.ASCII.GetBytes(value, p);
        p[n] = 0;
    }

    /// <summary>Reserves an attribute of <paramref name="payloadLength"/> bytes, zero-padded, and returns its payload.</summary>
    public Span<byte> Attribute(ushort type, int payloadLength)
    {
        int total = LinuxNetlink.NLA_HDRLEN + payloadLength;
        Span<byte> all = Reserve(LinuxNetlink.Align(total));
        all.Clear();
        HostOrder.WriteU16(all, (ushort)total);
        HostOrder.WriteU16(all[2..], type);
        return all.Slice(LinuxNetlink.NLA_HDRLEN, payloadLength);
    }

    private void WriteHostU32(int offset, uint value) => HostOrder.WriteU32(_buffer.AsSpan(offset), value);

    private void Pad()
    {
        int aligned = LinuxNetlink.Align(_length);
        if (aligned != _length)
        {
            Reserve(aligned - _length).Clear();
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        Span<byte> s = _buffer.AsSpan(_length, count);
        _length += count;
        return s;
    }
}
