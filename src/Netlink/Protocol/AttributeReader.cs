using System.Buffers.Binary;
using System.Text;
using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Protocol;

/// <summary>
/// Bounds-checked iterator over a run of netlink attributes:
/// <c>while (r.MoveNext()) switch (r.Type) { ... }</c>. A length that points outside the span, or a payload
/// too short for the requested type, raises <see cref="IpvsException"/> (MalformedReply), never reads past it.
/// Flag bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) are masked off <see cref="Type"/>.
/// </summary>
internal ref struct AttributeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public AttributeReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Type = 0;
        Payload = default;
    }

    public ushort Type { get; private set; }

    public ReadOnlySpan<byte> Payload { get; private set; }

    public bool MoveNext()
    {
        int remaining = _data.Length - _offset;
        // Fewer than 4 bytes left can only be padding; the kernel itself tolerates trailing bytes.
        if (remaining < LinuxNetlink.NLA_HDRLEN)
        {
            return false;
        }
        ushort len = HostOrder.ReadU16(_data[_offset..]);
        if (len < LinuxNetlink.NLA_HDRLEN || len > remaining)
        {
            throw Malformed($"attribute length {len} at offset {_offset} does not fit the {remaining} bytes left");
        }
        Type = (ushort)(HostOrder.ReadU16(_data[(_offset + 2)..]) & LinuxNetlink.NLA_TYPE_MASK);
        Payload = _data.Slice(_offset + LinuxNetlink.NLA_HDRLEN, len - LinuxNetlink.NLA_HDRLEN);
        _offset = Math.Min(_data.Length, _offset + LinuxNetlink.Align(len));
        return true;
    }

    public readonly byte GetU8() => Need(1)[0];

    public readonly ushort GetU16() => HostOrder.ReadU16(Need(2));

    public readonly ushort GetBe16() => BinaryPrimitives.ReadUInt16BigEndian(Need(2));

    public readonly uint GetU32() => HostOrder.ReadU32(Need(4));

    public readonly uint GetBe32() => BinaryPrimitives.ReadUInt32BigEndian(Need(4));

    public readonly ulong GetU64() => HostOrder.ReadU64(Need(8));

    /// <summary>A counter sized by its nla_len (u32 in STATS, u64 in STATS64): never assume the width.</summary>
    public readonly ulong GetUnsigned() => Payload.Length switch
    {
        >= 8 => HostOrder.ReadU64(Payload),
        >= 4 => HostOrder.ReadU32(Payload),
        >= 2 => HostOrder.ReadU16(Payload),
        1 => Payload[0],
        _ => throw Malformed($"attribute {Type} has an empty payload"),
    };

    /// <summary>A NUL-terminated string; the NUL is optional (ends at the payload's end).</summary>
    public readonly string GetString()
    {
        ReadOnlySpan<byte> p = Payload;
        int nul = p.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? p[..nul] : p);
    }

    public readonly AttributeReader Nested() => new(Payload);

    private readonly ReadOnlySpan<byte> Need(int bytes)
    {
        if (Payload.Length < bytes)
        {
            throw Malformed($"attribute {Type} has {Payload.Length} bytes, {bytes} expected");
        }
        return Payload;
    }

    internal static IpvsException Malformed(string what) =>
        new(IpvsErrorKind.MalformedReply, 0, $"malformed netlink reply: {what}");
}
