using System.Net;
using System.Text.Json;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Table;

/// <summary>
/// What a running daemon says about the kernel's entries (from its <c>GET /api/v1/status</c>), keyed the way the
/// table is: service key ("TCP 10.0.0.1:80", "FWM 12") and destination address and port. The <c>table</c> verb
/// joins it in as health and admin columns; entries the daemon does not manage have none.
/// </summary>
internal sealed class DaemonView
{
    private readonly Dictionary<string, DaemonServiceRow> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, IPAddress Address, int Port), DaemonDestinationRow> _destinations = [];

    private DaemonView(string source) => Source = source;

    /// <summary>Where the view came from (the daemon's URL).</summary>
    public string Source { get; }

    /// <summary>The daemon's name and quorum state of a kernel service, or null when the daemon does not manage it.</summary>
    public DaemonServiceRow? Service(ServiceKey key) => _services.GetValueOrDefault(key.ToString());

    /// <summary>The daemon's view of one destination, or null when the daemon does not manage it (e.g. a sorry server).</summary>
    public DaemonDestinationRow? Destination(ServiceKey key, DestinationConfig d) =>
        _destinations.TryGetValue((key.ToString(), d.Address, d.Port), out var row) ? row : null;

    /// <summary>Reads a status document; throws <see cref="JsonException"/> (or KeyNotFound/InvalidOperation) when it is not one.</summary>
    public static DaemonView Parse(string statusJson, string source)
    {
        var view = new DaemonView(source);
        using var doc = JsonDocument.Parse(statusJson);
        foreach (var vs in doc.RootElement.GetProperty("virtual_services").EnumerateArray())
        {
            var key = vs.GetProperty("key").GetString() ?? "";
            view._services[key] = new DaemonServiceRow(
                vs.GetProperty("name").GetString() ?? "",
                vs.GetProperty("quorum_up").GetBoolean(),
                vs.GetProperty("sorry_server_active").GetBoolean());
            foreach (var rs in vs.GetProperty("realservers").EnumerateArray())
            {
                if (!IPAddress.TryParse(rs.GetProperty("address").GetString(), out var address))
                {
                    continue;
                }
                var port = rs.GetProperty("port").GetInt32();
                view._destinations[(key, address, port)] = new DaemonDestinationRow(
                    rs.GetProperty("health").GetString() ?? "",
                    rs.GetProperty("admin").GetProperty("state").GetString() ?? "",
                    rs.GetProperty("weight").GetProperty("desired").GetInt32());
            }
        }
        return view;
    }

    /// <summary>The service's name and, when it matters, its quorum and sorry server: "[web]", "[web, quorum lost, sorry server on]".</summary>
    public static string Label(DaemonServiceRow s)
    {
        var text = "[" + s.Name;
        if (!s.QuorumUp)
        {
            text += ", quorum lost";
        }
        if (s.SorryServerActive)
        {
            text += ", sorry server on";
        }
        return text + "]";
    }
}
