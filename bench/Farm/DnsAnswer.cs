using System.Buffers.Binary;

namespace Ipvs.Bench.Farm;

/// <summary>Builds the farm's DNS reply: same id and question, one A (127.0.0.1) or AAAA (::1) answer, or an rcode alone.</summary>
public static class DnsAnswer
{
    /// <summary>Writes the reply to <paramref name="query"/> into <paramref name="reply"/>; its length, or 0 when the query is unusable.</summary>
    public static int Build(ReadOnlySpan<byte> query, Span<byte> reply, int rcode = 0)
    {
        if (query.Length < 12 || reply.Length < query.Length + 28)
        {
            return 0;
        }
        // Question: name labels then type and class.
        var pos = 12;
        while (pos < query.Length && query[pos] != 0)
        {
            pos += query[pos] + 1;
        }
        if (pos + 5 > query.Length)
        {
            return 0;
        }
        var questionEnd = pos + 5;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(query[(pos + 1)..]);
        query[..questionEnd].CopyTo(reply);
        reply[2] = (byte)(0x80 | (query[2] & 0x01)); // QR, keep RD
        reply[3] = (byte)(0x80 | rcode);             // RA, rcode
        BinaryPrimitives.WriteUInt16BigEndian(reply[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply[10..], 0);
        var answerLength = qtype switch { 1 => 4, 28 => 16, _ => -1 };
        if (rcode != 0 || answerLength < 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(reply[6..], 0);
            return questionEnd;
        }
        BinaryPrimitives.WriteUInt16BigEndian(reply[6..], 1);
        var a = reply[questionEnd..];
        a[0] = 0xC0;
        a[1] = 12; // pointer to the question's name
        BinaryPrimitives.WriteUInt16BigEndian(a[2..], qtype);
        BinaryPrimitives.WriteUInt16BigEndian(a[4..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(a[6..], 60);
        BinaryPrimitives.WriteUInt16BigEndian(a[10..], (ushort)answerLength);
        if (answerLength == 4)
        {
            a[12] = 127;
            a[13] = 0;
            a[14] = 0;
            a[15] = 1;
        }
        else
        {
            a.Slice(12, 16).Clear();
            a[27] = 1;
        }
        return questionEnd + 12 + answerLength;
    }
}
