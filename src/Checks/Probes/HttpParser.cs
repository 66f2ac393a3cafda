using System.Buffers.Text;
using System.Text;

namespace Ipvs.Checks.Probes;

/// <summary>Just enough HTTP/1.x response parsing for a check: status line, end of headers, body framing. No allocation.</summary>
internal static class HttpParser
{
    public const int NeedMore = -1;
    public const int NotHttp = -2;

    /// <summary>The status code, <see cref="NeedMore"/> until the first line is complete, or <see cref="NotHttp"/>.</summary>
    public static int StatusLine(ReadOnlySpan<byte> data)
    {
        // "HTTP/1.1 200 OK": judge the prefix as soon as it is there, so garbage fails without waiting for a newline.
        var prefix = "HTTP/1."u8;
        var n = Math.Min(data.Length, prefix.Length);
        if (!data[..n].SequenceEqual(prefix[..n]))
        {
            return NotHttp;
        }
        if (data.Length < 12)
        {
            return data.IndexOf((byte)'\n') >= 0 ? NotHttp : NeedMore;
        }
        if (data[8] != ' ' || !Utf8Parser.TryParse(data.Slice(9, 3), out int status, out var used) || used != 3 || status < 100 || status > 999)
        {
            return NotHttp;
        }
        return status;
    }

    /// <summary>Length of the header block including the blank line, or −1 if not complete yet.</summary>
    public static int HeaderEnd(ReadOnlySpan<byte> data)
    {
        var i = data.IndexOf("\r\n\r\n"u8);
        if (i >= 0)
        {
            return i + 4;
        }
        i = data.IndexOf("\n\n"u8);
        return i >= 0 ? i + 2 : -1;
    }

    /// <summary>Body framing from the header block: Content-Length (−1 when absent) and chunked transfer coding.</summary>
    public static void Framing(ReadOnlySpan<byte> headers, out long contentLength, out bool chunked)
    {
        contentLength = -1;
        chunked = false;
        while (!headers.IsEmpty)
        {
            var eol = headers.IndexOf((byte)'\n');
            var line = eol < 0 ? headers : headers[..eol];
            headers = eol < 0 ? default : headers[(eol + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t\r"u8);
            if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "content-length"u8)
                && Utf8Parser.TryParse(value, out long len, out var used) && used == value.Length && len >= 0)
            {
                contentLength = len;
            }
            else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)
                && value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8))
            {
                chunked = true;
            }
        }
    }
}
