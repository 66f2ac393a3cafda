using System.Globalization;

namespace Ipvs.Netlink.Tests;

internal static class Hex
{
    /// <summary>Parses a hexdump like docs/ipvs-netlink.md prints it ("0000: 8c 00 ..." lines, offsets ignored).</summary>
    public static byte[] Parse(string dump)
    {
        var bytes = new List<byte>();
        foreach (string rawLine in dump.Split('\n'))
        {
            string line = rawLine.Trim();
            int colon = line.IndexOf(':');
            if (colon >= 0)
            {
                line = line[(colon + 1)..];
            }
            foreach (string token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return [.. bytes];
    }
}
