using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Ipvs.Checks.Probes;

/// <summary>DNS wire format, just enough for a check: build one query, validate a reply against it, read its answers.</summary>
internal static class DnsMessage
{
    public const int NotReply = -1;
    public const int WrongId = -2;
    public const int WrongQuestion = -3;
    public const int Malformed = -4;

    /// <summary>A query with id 0 (patched per run), RD set, one question of class IN.</summary>
    public static byte[] Query(string name, DnsQueryType type)
    {
        var bytes = new List<byte> { 0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var l = Encoding.ASCII.GetBytes(label);
            if (l.Length is 0 or > 63)
            {
                throw new ArgumentException($"DNS name '{name}' has a label longer than 63 bytes", nameof(name));
            }
            bytes.Add((byte)l.Length);
            bytes.AddRange(l);
        }
        bytes.Add(0);
        bytes.Add((byte)((ushort)type >> 8));
        bytes.Add((byte)type);
        bytes.Add(0);
        bytes.Add(1);
        return [.. bytes];
    }

    /// <summary>
    /// Checks a reply against the query: the rcode (≥ 0) when id and question match, else a negative code.
    /// <paramref name="answers"/> is the answer count and <paramref name="answerStart"/> where they begin.
    /// </summary>
    public static int Validate(ReadOnlySpan<byte> query, ReadOnlySpan<byte> reply, out int answers, out int answerStart)
    {
        answers = 0;
        answerStart = 0;
        if (reply.Length < 12)
        {
            return Malformed;
        }
        if ((reply[2] & 0x80) == 0)
        {
            return NotReply;
        }
        if (reply[0] != query[0] || reply[1] != query[1])
        {
            return WrongId;
        }
        var question = query[12..];
        if (BinaryPrimitives.ReadUInt16BigEndian(reply[4..]) != 1 || reply.Length < 12 + question.Length
            || !Ascii.EqualsIgnoreCase(reply.Slice(12, question.Length), question))
        {
            return WrongQuestion;
        }
        answers = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]);
        answerStart = 12 + question.Length;
        return reply[3] & 0x0F;
    }

    public static string RcodeName(int rcode) => rcode switch
    {
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => "rcode " + rcode,
    };

    /// <summary>True when one answer of <paramref name="type"/> equals <paramref name="expected"/>.</summary>
    public static bool HasAnswer(ReadOnlySpan<byte> reply, int start, int count, DnsQueryType type, string expected, IPAddress? expectedAddress)
    {
        var pos = start;
        for (var i = 0; i < count; i++)
        {
            if (!SkipName(reply, ref pos) || pos + 10 > reply.Length)
            {
                return false;
            }
            var rtype = BinaryPrimitives.ReadUInt16BigEndian(reply[pos..]);
            var rdlength = BinaryPrimitives.ReadUInt16BigEndian(reply[(pos + 8)..]);
            pos += 10;
            if (pos + rdlength > reply.Length)
            {
                return false;
            }
            if (rtype == (ushort)type && Equals(reply, pos, rdlength, type, expected, expectedAddress))
            {
                return true;
            }
            pos += rdlength;
        }
        return false;
    }

    private static bool Equals(ReadOnlySpan<byte> msg, int pos, int length, DnsQueryType type, string expected, IPAddress? address)
    {
        switch (type)
        {
            case DnsQueryType.A or DnsQueryType.AAAA:
                return address is not null && msg.Slice(pos, length).SequenceEqual(address.GetAddressBytes());
            case DnsQueryType.TXT:
                var text = new StringBuilder();
                for (var p = pos; p < pos + length;)
                {
                    var l = msg[p];
                    var end = Math.Min(p + 1 + l, pos + length);
                    text.Append(Encoding.UTF8.GetString(msg[(p + 1)..end]));
                    p = end;
                }
                return text.ToString() == expected;
            default:
                var namePos = type == DnsQueryType.MX ? pos + 2 : pos;
                var name = ReadName(msg, namePos);
                return name is not null && string.Equals(name.TrimEnd('.'), expected.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static bool SkipName(ReadOnlySpan<byte> msg, ref int pos)
    {
        while (pos < msg.Length)
        {
            var l = msg[pos];
            if (l == 0)
            {
                pos++;
                return true;
            }
            if ((l & 0xC0) == 0xC0)
            {
                pos += 2;
                return pos <= msg.Length;
            }
            pos += l + 1;
        }
        return false;
    }

    /// <summary>A (possibly compressed) name; null when malformed or looping.</summary>
    private static string? ReadName(ReadOnlySpan<byte> msg, int pos)
    {
        var sb = new StringBuilder();
        for (var hops = 0; hops < 64 && pos < msg.Length; hops++)
        {
            var l = msg[pos];
            if (l == 0)
            {
                return sb.ToString();
            }
            if ((l & 0xC0) == 0xC0)
            {
                if (pos + 1 >= msg.Length)
                {
                    return null;
                }
                pos = ((l & 0x3F) << 8) | msg[pos + 1];
                continue;
            }
            if (pos + 1 + l > msg.Length)
            {
                return null;
            }
            sb.Append(Encoding.ASCII.GetString(msg.Slice(pos + 1, l))).Append('.');
            pos += l + 1;
        }
        return null;
    }
}
