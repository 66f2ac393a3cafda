using System.Globalization;
using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// The per-realserver and per-virtual-service families, written straight from one status snapshot into the
/// exposition (no client-library children: ten thousand realservers would be a hundred thousand objects to update
/// and serialize). Each row's labels come from a <see cref="LabelCache{TKey}"/>, so a scrape formats values only.
/// Which families exist: <see cref="RealServerFamilies"/> (docs/metrics.md).
/// </summary>
internal sealed class SnapshotSeries
{
    private readonly IReadOnlyList<SnapshotFamily<RealServerRow>> _realservers;
    private readonly IReadOnlyList<SnapshotFamily<VirtualServiceStatus>> _services = VirtualServiceFamilies.All;
    private readonly LabelCache<RealServerKey> _rsLabels = new(Encode);
    private readonly LabelCache<ServiceKey> _vsLabels = new(Encode);
    private readonly LabelCache<CheckKey> _checkLabels = new(Encode);
    private readonly List<(CheckRow Row, byte[] Labels)> _checks = [];
    private byte[][] _rowLabels = [];
    private RealServerRow[] _rows = [];

    public SnapshotSeries(bool details) => _realservers = details ? RealServerFamilies.WithDetails : RealServerFamilies.Default;

    /// <summary>Rows whose labels are cached (realserver entries and virtual services of the last scrape).</summary>
    public int CachedRows => _rsLabels.Count + _vsLabels.Count + _checkLabels.Count;

    public void Write(Stream output, StatusSnapshot snapshot)
    {
        var count = 0;
        foreach (var vs in snapshot.VirtualServices)
        {
            count += vs.Realservers.Count;
        }
        if (_rows.Length < count)
        {
            _rows = new RealServerRow[count];
            _rowLabels = new byte[count][];
        }
        _rsLabels.Begin();
        _vsLabels.Begin();
        _checkLabels.Begin();
        var n = 0;
        foreach (var vs in snapshot.VirtualServices)
        {
            foreach (var rs in vs.Realservers)
            {
                _rows[n] = new RealServerRow(vs, rs);
                var key = new RealServerKey(Key(vs), rs.Address, rs.Port);
                _rowLabels[n] = _rsLabels.Get(key);
                foreach (var check in rs.Checks ?? [])
                {
                    _checks.Add((new CheckRow(_rows[n], check), _checkLabels.Get(new CheckKey(key, check.Name))));
                }
                n++;
            }
        }
        foreach (var family in _realservers)
        {
            TextExposition.Family(output, family.Name, family.Help, family.Type);
            for (var i = 0; i < n; i++)
            {
                if (family.Value(_rows[i]) is { } value)
                {
                    TextExposition.Sample(output, family.NameBytes, _rowLabels[i], value);
                }
            }
        }
        foreach (var family in CheckFamilies.All)
        {
            TextExposition.Family(output, family.Name, family.Help, family.Type);
            foreach (var (row, labels) in _checks)
            {
                if (family.Value(row) is { } value)
                {
                    TextExposition.Sample(output, family.NameBytes, labels, value);
                }
            }
        }
        foreach (var family in _services)
        {
            TextExposition.Family(output, family.Name, family.Help, family.Type);
            foreach (var vs in snapshot.VirtualServices)
            {
                if (family.Value(vs) is { } value)
                {
                    TextExposition.Sample(output, family.NameBytes, _vsLabels.Get(Key(vs)), value);
                }
            }
        }
        // Drop what the rows array still references (the previous snapshot) and labels of rows that are gone.
        Array.Clear(_rows, 0, n);
        _checks.Clear();
        _rsLabels.Sweep();
        _vsLabels.Sweep();
        _checkLabels.Sweep();
    }

    private static ServiceKey Key(VirtualServiceStatus vs) => new(vs.Name, vs.Address, vs.Port, vs.Fwmark, vs.Protocol);

    private static byte[] Encode(ServiceKey k) => TextExposition.Labels(MetricLabels.VirtualService, Values(k));

    private static byte[] Encode(RealServerKey k) =>
        TextExposition.Labels(MetricLabels.RealServer, [.. Values(k.Service), k.Address, k.Port.ToString(CultureInfo.InvariantCulture)]);

    private static byte[] Encode(CheckKey k) =>
        TextExposition.Labels([.. MetricLabels.RealServer, "check"],
            [.. Values(k.RealServer.Service), k.RealServer.Address, k.RealServer.Port.ToString(CultureInfo.InvariantCulture), k.Check]);

    private static string[] Values(ServiceKey k) =>
    [
        k.Name, k.Address, k.Port.ToString(CultureInfo.InvariantCulture),
        k.Fwmark == 0 ? "" : k.Fwmark.ToString("X8", CultureInfo.InvariantCulture),
        k.Fwmark != 0 ? "FWM" : k.Protocol.ToUpperInvariant(),
    ];

    private readonly record struct ServiceKey(string Name, string Address, int Port, uint Fwmark, string Protocol);

    private readonly record struct RealServerKey(ServiceKey Service, string Address, int Port);

    private readonly record struct CheckKey(RealServerKey RealServer, string Check);
}
