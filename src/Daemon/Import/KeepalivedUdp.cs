using System.Text;

namespace Ipvs.Daemon.Import;

/// <summary>UDP_CHECK: payload and require_reply in keepalived's free hex format.</summary>
internal static class KeepalivedUdp
{
    public static void Apply(ImportedCheck check, KaScope scope, List<string> notes)
    {
        if (scope.Own("payload") is { } payload)
        {
            check.Set("payload_hex", Hex(payload, allowWildcard: false));
        }
        else
        {
            notes.Add($"{scope.Own("require_reply")?.Where.ToString() ?? "UDP_CHECK"}: no payload: keepalived sends random bytes, ipvs-checkd an empty datagram");
        }
        if (scope.Own("require_reply") is { } reply)
        {
            if (reply.Args.Count > 0)
            {
                var hex = Hex(reply, allowWildcard: true);
                if (hex.Contains('x', StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add($"{reply.Where}: require_reply with X (any nibble) has no equivalent: any reply passes");
                }
                else
                {
                    check.Set("expect_hex", hex);
                    notes.Add($"{reply.Where}: require_reply compares the reply's first bytes with these; ipvs-checkd's expect_hex looks for them in the reply");
                }
            }
        }
        else
        {
            // Without require_reply keepalived passes unless an ICMP error comes back.
            check.Set("no_icmp_unreachable", true);
        }
        foreach (var k in new[] { "min_reply_length", "max_reply_length" })
        {
            if (scope.Own(k) is { } n)
            {
                notes.Add($"{n.Where}: {k} has no equivalent: not imported");
            }
        }
    }

    /// <summary>
    /// keepalived's hex: whitespace-separated groups read two digits at a time, a lone last digit being a byte of
    /// its own ("Ab12f 3" is AB 12 0F 03). Written as space-separated byte pairs.
    /// </summary>
    private static string Hex(KaNode node, bool allowWildcard)
    {
        var bytes = new List<string>();
        foreach (var group in node.Args)
        {
            foreach (var c in group)
            {
                if (!char.IsAsciiHexDigit(c) && !(allowWildcard && c is 'x' or 'X'))
                {
                    throw new ImportException(node.Where, $"{node.Keyword}: '{group}' is not hex");
                }
            }
            for (var i = 0; i < group.Length; i += 2)
            {
                bytes.Add(i + 1 < group.Length ? group.Substring(i, 2) : "0" + group[i]);
            }
        }
        if (bytes.Count == 0)
        {
            throw new ImportException(node.Where, $"{node.Keyword}: no hex bytes");
        }
        return new StringBuilder().AppendJoin(' ', bytes.Select(b => b.ToLowerInvariant())).ToString();
    }
}
