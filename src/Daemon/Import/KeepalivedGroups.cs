using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Ipvs.Daemon.Import;

/// <summary>
/// virtual_server_group members: <c>IP [PORT]</c>, ranges (<c>10.0.0.1-10</c>, <c>10.0.0.250-10.0.1.10</c>,
/// <c>10.0.0.8/29</c>, the last part of an IPv6 range in hex) and <c>fwmark N [inet|inet6]</c>. ipvs-checkd has no
/// groups: each member becomes a virtual service of its own with the same realservers, as keepalived makes in IPVS.
/// </summary>
internal static class KeepalivedGroups
{
    private const int MaxMembers = 65536;

    public static List<KaMember> Expand(KaNode group)
    {
        var name = group.Arg(0, "the group name");
        var result = new List<KaMember>();
        foreach (var n in group.Children ?? [])
        {
            if (n.Keyword == "fwmark")
            {
                var mark = ImportValues.Integer(n.Arg(0, "a mark"), n.Where, "fwmark", 1, uint.MaxValue);
                var family = n.Args.Count > 1 ? Family(n.Args[1], n) : null;
                result.Add(new KaMember(null, 0, mark, family, name));
                continue;
            }
            var port = n.Args.Count > 0 ? ImportValues.Port(n.Args[0], n.Where, "port") : 0;
            foreach (var a in Range(n.Keyword, n.Where))
            {
                result.Add(new KaMember(a, port, null, null, name));
                if (result.Count > MaxMembers)
                {
                    throw new ImportException(n.Where, $"virtual_server_group {name} expands to more than {MaxMembers} services");
                }
            }
        }
        return result;
    }

    public static string Family(string text, KaNode n) => text switch
    {
        "inet" or "inet6" => text,
        _ => throw new ImportException(n.Where, $"'{text}' is not an address family (inet, inet6)"),
    };

    private static IEnumerable<IPAddress> Range(string text, SourceLine where)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var a = ImportValues.Address(text[..slash], where, "address");
            var bits = a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var len = (int)ImportValues.Integer(text[(slash + 1)..], where, "prefix length", bits - 16, bits);
            var start = ToNumber(a) >> (bits - len) << (bits - len);
            return Enumerate(start, start + (BigInteger.One << (bits - len)) - 1, a.AddressFamily);
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return [ImportValues.Address(text, where, "address")];
        }
        var first = ImportValues.Address(text[..dash], where, "address");
        var rest = text[(dash + 1)..];
        BigInteger end;
        if (IPAddress.TryParse(rest, out var last) && rest.Contains(first.AddressFamily == AddressFamily.InterNetwork ? '.' : ':', StringComparison.Ordinal))
        {
            end = ToNumber(last);
        }
        else
        {
            // Only the last part is given: an IPv4 octet in decimal, an IPv6 group in hex.
            var v4 = first.AddressFamily == AddressFamily.InterNetwork;
            var ok = v4
                ? int.TryParse(rest, out var octet) && octet is >= 0 and <= 255
                : int.TryParse(rest, System.Globalization.NumberStyles.HexNumber, null, out octet) && octet is >= 0 and <= 0xFFFF;
            if (!ok)
            {
                throw new ImportException(where, $"'{text}' is not an address range (10.0.0.1-10, 10.0.0.250-10.0.1.10 or 10.0.0.8/29)");
            }
            var shift = v4 ? 8 : 16;
            end = (ToNumber(first) >> shift << shift) + octet;
        }
        var begin = ToNumber(first);
        if (end < begin)
        {
            throw new ImportException(where, $"'{text}': the range ends before it starts");
        }
        if (end - begin >= MaxMembers)
        {
            throw new ImportException(where, $"'{text}': more than {MaxMembers} addresses");
        }
        return Enumerate(begin, end, first.AddressFamily);
    }

    private static IEnumerable<IPAddress> Enumerate(BigInteger from, BigInteger to, AddressFamily family)
    {
        for (var n = from; n <= to; n++)
        {
            yield return FromNumber(n, family);
        }
    }

    private static BigInteger ToNumber(IPAddress a) => new(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress FromNumber(BigInteger n, AddressFamily family)
    {
        var size = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = new byte[size];
        var raw = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, size - raw.Length);
        return new IPAddress(bytes);
    }
}
