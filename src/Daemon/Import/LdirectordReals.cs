using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Ipvs.Daemon.Import;

/// <summary>
/// real=ADDRESS[->ADDRESS][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"]: one realserver, or one per
/// address of an IPv4 range, each with its check.
/// </summary>
internal static class LdirectordReals
{
    public static IEnumerable<ImportedRealServer> Import(LdEntry e, LdRealContext ctx)
    {
        var words = LdAddress.Words(e.Text, e.Where);
        if (words.Count < 2)
        {
            throw new ImportException(e.Where, $"{e.Key}={e.Text}: expected ADDRESS:PORT and gate, masq or ipip");
        }
        var forward = Forward(words[1], e.Where);
        var weight = 1;
        var next = 2;
        if (words.Count > 2 && words[2].All(char.IsAsciiDigit))
        {
            weight = (int)ImportValues.Integer(words[2], e.Where, "weight", 0, 65535);
            next = 3;
        }
        var request = words.Count > next ? words[next] : null;
        var receive = words.Count > next + 1 ? words[next + 1] : null;

        var spec = words[0];
        var arrow = spec.IndexOf("->", StringComparison.Ordinal);
        var (last, port) = LdAddress.Parse(arrow >= 0 ? spec[(arrow + 2)..] : spec, e.Where, e.Key);
        var first = arrow >= 0 ? ImportValues.Address(spec[..arrow], e.Where, e.Key) : last;
        foreach (var address in Range(first, last, e.Where))
        {
            yield return One(e, ctx, address, port, forward, weight, request, receive);
        }
    }

    public static string Forward(string method, SourceLine where) => method.ToLowerInvariant() switch
    {
        "gate" => "dr",
        "masq" => "nat",
        "ipip" => "tun",
        _ => throw new ImportException(where, $"'{method}' is not a forwarding method (gate, masq, ipip)"),
    };

    private static ImportedRealServer One(LdEntry e, LdRealContext ctx, IPAddress address, int? writtenPort, string forward, int weight, string? request, string? receive)
    {
        var notes = new List<string>();
        var port = writtenPort ?? 0;
        if (ctx.Fwmark is null && (forward != "nat" || writtenPort is null) && port != ctx.VirtualPort)
        {
            // ldirectord itself sets the port of a gate/ipip realserver to the virtual's.
            if (writtenPort is not null)
            {
                notes.Add($"{e.Where}: port {writtenPort} with {(forward == "dr" ? "gate" : forward == "tun" ? "ipip" : "masq")}: the kernel uses the virtual's port {ctx.VirtualPort} (as ldirectord does): written as {ctx.VirtualPort}");
            }
            port = ctx.VirtualPort;
        }
        var text = ctx.Fwmark is not null && port == 0
            ? (address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())
            : ImportValues.EndPoint(address, port);
        var rs = new ImportedRealServer(text) { Weight = weight, Forward = forward };
        rs.Checks.AddRange(LdirectordChecks.BuildAll(e, ctx, port, request, receive));
        rs.Notes.AddRange(notes);
        return rs;
    }

    private static IEnumerable<IPAddress> Range(IPAddress first, IPAddress last, SourceLine where)
    {
        if (first.Equals(last))
        {
            return [first];
        }
        if (first.AddressFamily != AddressFamily.InterNetwork || last.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ImportException(where, "address ranges (A->B) are IPv4 only");
        }
        var a = new BigInteger(first.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var b = new BigInteger(last.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        if (b < a || b - a > 65535)
        {
            throw new ImportException(where, $"range {first}->{last} is empty or longer than 65536 addresses");
        }
        var list = new List<IPAddress>();
        for (var n = a; n <= b; n++)
        {
            var bytes = new byte[4];
            var raw = n.ToByteArray(isUnsigned: true, isBigEndian: true);
            raw.CopyTo(bytes, 4 - raw.Length);
            list.Add(new IPAddress(bytes));
        }
        return list;
    }
}
