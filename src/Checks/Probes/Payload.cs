using System.Globalization;
using System.Text;

namespace Ipvs.Checks.Probes;

/// <summary>Turns configured text (C escapes \r \n \t \0 \\ \xHH) or hex ("48 45 4c 4f", "48454c4f") into bytes.</summary>
internal static class Payload
{
    public static byte[] Bytes(DataFormat format, string value) => format == DataFormat.Hex ? FromHex(value) : Unescape(value);

    public static byte[] FromHex(string hex)
    {
        var clean = new StringBuilder(hex.Length);
        foreach (var c in hex)
        {
            if (!char.IsWhiteSpace(c) && c != ':')
            {
                clean.Append(c);
            }
        }
        return Convert.FromHexString(clean.ToString());
    }

    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 == text.Length)
            {
                if (c > 0xFF)
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
                else
                {
                    bytes.Add((byte)c);
                }
                continue;
            }
            var e = text[++i];
            switch (e)
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case 'x' when i + 2 < text.Length:
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: bytes.Add((byte)e); break;
            }
        }
        return [.. bytes];
    }
}
