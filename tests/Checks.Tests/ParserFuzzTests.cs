using System.Net;
using System.Text;
using Ipvs.Checks.Probes;
using Ipvs.Fuzzing;

namespace Ipvs.Checks.Tests;

/// <summary>
/// Fuzzes what reads a realserver's bytes: the HTTP response parser (status line, header end, framing, chunked
/// body, body match) and the DNS reply parser. These return verdicts, never throw: any exception is a finding.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly BodyMatcher Matcher = new(BodyMatch.Substring("ok"), TimeSpan.FromSeconds(1));

    [Fact]
    public void HttpParser_MutatedResponses_NeverThrowAndChunkingIsSplitIndependent()
    {
        var seeds = new[]
        {
            "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Type: text/plain\r\n\r\nall ok\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nall \r\n3\r\nok\n\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "HTTP/1.0 503 Service Unavailable\n\nbusy",
            "HTTP/1.1 301 Moved\r\nLocation: /x\r\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip, chunked\r\n\r\nfffffffffffffff\r\n",
        }.Select(Encoding.ASCII.GetBytes).ToList();
        var inputs = MutationFuzzer.Run("http responses", seeds, JudgeHttp, _ => false);
        Assert.True(inputs > 0);
    }

    [Fact]
    public void DnsMessage_MutatedReplies_NeverThrow()
    {
        var seeds = new List<byte[]>
        {
            DnsReply(DnsQueryType.A, Answer(DnsQueryType.A, [192, 0, 2, 7])),
            DnsReply(DnsQueryType.AAAA, Answer(DnsQueryType.AAAA, IPAddress.Parse("2001:db8::7").GetAddressBytes())),
            DnsReply(DnsQueryType.MX, Answer(DnsQueryType.MX, [0, 10, 4, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0xC0, 0x0C])),
            DnsReply(DnsQueryType.TXT, Answer(DnsQueryType.TXT, [5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 2, (byte)'!', (byte)'?'])),
            DnsReply(DnsQueryType.CNAME, Answer(DnsQueryType.CNAME, [3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 0x0C]), Answer(DnsQueryType.A, [10, 0, 0, 1])),
            DnsReply(DnsQueryType.SOA, []),
        };
        var inputs = MutationFuzzer.Run("dns replies", seeds, JudgeDns, _ => false);
        Assert.True(inputs > 0);
    }

    /// <summary>The steps of HttpCheck's response reader, synchronously, over one received response.</summary>
    private static void JudgeHttp(byte[] response)
    {
        var head = response.AsSpan(0, Math.Min(response.Length, HttpCheck.HeaderLimit));
        var status = HttpParser.StatusLine(head);
        Assert.True(status is HttpParser.NeedMore or HttpParser.NotHttp or (>= 100 and <= 999), $"status {status}");
        var headerEnd = HttpParser.HeaderEnd(head);
        if (headerEnd < 0)
        {
            return;
        }
        Assert.InRange(headerEnd, 2, head.Length);
        HttpParser.Framing(head[..headerEnd], out var contentLength, out var chunked);
        Assert.True(contentLength >= -1);
        var rest = response.AsSpan(headerEnd);
        var whole = Decode(rest, rest.Length);
        var bytewise = Decode(rest, 1);
        // The decoder is fed whatever each read returned: the split must not change the outcome.
        Assert.Equal(whole, bytewise);
        _ = chunked;
    }

    private static (bool Malformed, bool Done, string Body, bool Match) Decode(ReadOnlySpan<byte> input, int step)
    {
        var decoder = default(ChunkedDecoder);
        var body = new byte[64];
        var length = 0;
        for (var i = 0; i < input.Length && !decoder.Malformed && !decoder.Done; i += step)
        {
            decoder.Feed(input.Slice(i, Math.Min(step, input.Length - i)), body, ref length);
        }
        Assert.InRange(length, 0, body.Length);
        return (decoder.Malformed, decoder.Done, Convert.ToHexString(body, 0, length), Matcher.Matches(body.AsSpan(0, length)));
    }

    private static readonly byte[][] Queries =
        [.. Enum.GetValues<DnsQueryType>().Select(t => WithId(DnsMessage.Query("svc.example", t)))];

    private static void JudgeDns(byte[] reply)
    {
        foreach (var query in Queries)
        {
            var rcode = DnsMessage.Validate(query, reply, out var answers, out var start);
            if (rcode < 0)
            {
                continue;
            }
            Assert.InRange(rcode, 0, 15);
            Assert.InRange(start, 12, reply.Length);
            foreach (var type in Enum.GetValues<DnsQueryType>())
            {
                _ = DnsMessage.HasAnswer(reply, start, answers, type, "mail.svc.example", IPAddress.Parse("192.0.2.7"));
                _ = DnsMessage.HasAnswer(reply, start, answers, type, "hello!?", IPAddress.IPv6Loopback);
            }
        }
    }

    private static byte[] WithId(byte[] query)
    {
        query[0] = 0x12;
        query[1] = 0x34;
        return query;
    }

    private static byte[] DnsReply(DnsQueryType type, params byte[][] answers)
    {
        var query = WithId(DnsMessage.Query("svc.example", type));
        var reply = new List<byte>(query);
        reply[2] = 0x81;
        reply[3] = 0x80;
        reply[7] = (byte)answers.Length;
        foreach (var a in answers)
        {
            reply.AddRange(a);
        }
        return [.. reply];
    }

    /// <summary>An answer named by a pointer to the question (offset 12), class IN, TTL 60.</summary>
    private static byte[] Answer(DnsQueryType type, byte[] data) =>
        [0xC0, 0x0C, (byte)((ushort)type >> 8), (byte)type, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length, .. data];
}
