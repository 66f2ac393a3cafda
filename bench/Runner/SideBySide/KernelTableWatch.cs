using System.Globalization;
using System.Net;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// Reads the kernel's IPVS table from /proc/net/ip_vs (one read, no process per poll) and tells each watched
/// realserver's weight: -1 when it is not in the table.
/// </summary>
internal sealed class KernelTableWatch
{
    private readonly Dictionary<string, int> _index = [];
    private readonly Dictionary<string, int> _byHex = new(StringComparer.Ordinal);

    /// <summary>Watches these (virtual service, realserver) pairs; weights come back in the same order.</summary>
    public KernelTableWatch(IReadOnlyList<(IPEndPoint Vs, IPEndPoint Rs)> pairs)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            _byHex[Hex(pairs[i].Vs) + " " + Hex(pairs[i].Rs)] = i;
        }
        Weights = new int[pairs.Count];
    }

    /// <summary>Weight of each watched pair after the last <see cref="Poll"/>; -1: absent.</summary>
    public int[] Weights { get; }

    public void Poll()
    {
        Array.Fill(Weights, -1);
        string? vs = null;
        foreach (var line in File.ReadLines("/proc/net/ip_vs"))
        {
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length >= 2 && t[0] is "TCP" or "UDP" or "SCTP")
            {
                vs = t[1];
            }
            else if (vs is not null && t.Length >= 4 && t[0] == "->" && _byHex.TryGetValue(vs + " " + t[1], out var i))
            {
                Weights[i] = int.Parse(t[3], CultureInfo.InvariantCulture);
            }
        }
    }

    public int CountAtWeight(int weight) => Weights.Count(w => w == weight);

    private static string Hex(IPEndPoint ep)
    {
        var b = ep.Address.GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:X2}{b[1]:X2}{b[2]:X2}{b[3]:X2}:{ep.Port:X4}");
    }

    /// <summary>Empties the table between checkers (ipvsadm -C).</summary>
    public static void Clear() => ProcessTree.RunQuiet("ipvsadm", "-C");
}
