using System.Text;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// One metric family whose series are read off a status snapshot, one per row (<typeparamref name="TRow"/>: a
/// realserver entry or a virtual service). A null value means "no series for this row now" (for example the kernel
/// weight of a destination that is not in the kernel).
/// </summary>
internal sealed class SnapshotFamily<TRow>(string name, string type, string help, Func<TRow, double?> value)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string Help { get; } = help;

    public byte[] NameBytes { get; } = Encoding.UTF8.GetBytes(name);

    public double? Value(TRow row) => value(row);
}
