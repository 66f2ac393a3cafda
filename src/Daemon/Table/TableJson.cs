using System.Net.Sockets;
using System.Text.Json;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Table;

/// <summary>
/// JSON output: <c>{"version":..,"connectionTableSize":..,"services":[...]}</c>, one object per virtual service
/// with its destinations and every field ipvsadm -Ln --stats/--rate shows, plus thresholds and tunnel settings.
/// </summary>
internal static class TableJson
{
    /// <summary>Writes the table; with <paramref name="daemon"/>, "daemon" (its URL), each service's "virtualService" and each destination's "daemon" object join in (null where the daemon does not manage the entry).</summary>
    public static void Write(TextWriter o, IpvsInfo info, IReadOnlyList<ServiceEntry> table, DaemonView? daemon = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("version", info.Version.ToString(3));
            w.WriteNumber("connectionTableSize", info.ConnectionTableSize);
            if (daemon is not null)
            {
                w.WriteString("daemon", daemon.Source);
            }
            w.WriteStartArray("services");
            foreach (ServiceEntry s in table)
            {
                WriteService(w, s, daemon);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteService(Utf8JsonWriter w, ServiceEntry s, DaemonView? daemon)
    {
        ServiceConfig c = s.Config;
        ServiceKey k = c.Key;
        w.WriteStartObject();
        if (daemon is not null)
        {
            WriteObjectOrNull(w, "virtualService", daemon.Service(k), static (w, row) =>
            {
                w.WriteString("name", row.Name);
                w.WriteBoolean("quorumUp", row.QuorumUp);
                w.WriteBoolean("sorryServerActive", row.SorryServerActive);
            });
        }
        w.WriteString("service", string.Join(' ', TableText.ServiceName(k).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        w.WriteString("family", k.Family == AddressFamily.InterNetworkV6 ? "inet6" : "inet");
        if (k.IsFirewallMark)
        {
            w.WriteNumber("fwmark", k.FirewallMark);
        }
        else
        {
            w.WriteString("protocol", k.Protocol.ToString().ToUpperInvariant());
            w.WriteString("address", k.Address?.ToString());
            w.WriteNumber("port", k.Port);
        }
        w.WriteString("scheduler", c.Scheduler);
        w.WriteStartArray("flags");
        if ((c.Flags & ServiceFlags.Persistent) != 0)
        {
            w.WriteStringValue("persistent");
        }
        if ((c.Flags & ServiceFlags.OnePacket) != 0)
        {
            w.WriteStringValue("ops");
        }
        foreach (string name in TableText.SchedulerFlagNames(c))
        {
            w.WriteStringValue(name);
        }
        w.WriteEndArray();
        if ((c.Flags & ServiceFlags.Persistent) != 0)
        {
            w.WriteNumber("persistenceTimeout", c.PersistenceTimeoutSeconds);
        }
        w.WriteString("netmask", TableText.NetmaskText(c));
        if (!string.IsNullOrEmpty(c.PersistenceEngine))
        {
            w.WriteString("persistenceEngine", c.PersistenceEngine);
        }
        WriteStats(w, s.Stats);
        w.WriteStartArray("destinations");
        foreach (DestinationEntry d in s.Destinations)
        {
            DestinationConfig dc = d.Config;
            w.WriteStartObject();
            w.WriteString("address", dc.Address.ToString());
            w.WriteNumber("port", dc.Port);
            w.WriteString("forward", TableText.ForwardName(dc.Forward));
            w.WriteNumber("weight", dc.Weight);
            w.WriteNumber("upperThreshold", dc.UpperThreshold);
            w.WriteNumber("lowerThreshold", dc.LowerThreshold);
            w.WriteNumber("activeConnections", d.ActiveConnections);
            w.WriteNumber("inactiveConnections", d.InactiveConnections);
            w.WriteNumber("persistentConnections", d.PersistentConnections);
            if (dc.Forward == ForwardMethod.Tunnel)
            {
                w.WriteString("tunnelType", dc.TunnelType.ToString().ToLowerInvariant());
                w.WriteNumber("tunnelPort", dc.TunnelPort);
                w.WriteNumber("tunnelFlags", (ushort)dc.TunnelFlags);
            }
            WriteStats(w, d.Stats);
            if (daemon is not null)
            {
                WriteObjectOrNull(w, "daemon", daemon.Destination(k, dc), static (w, row) =>
                {
                    w.WriteString("health", row.Health);
                    w.WriteString("admin", row.Admin);
                    w.WriteNumber("desiredWeight", row.DesiredWeight);
                });
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The daemon's part of an entry: an object, or null where the daemon does not manage the entry.</summary>
    private static void WriteObjectOrNull<T>(Utf8JsonWriter w, string name, T? row, Action<Utf8JsonWriter, T> writeFields)
        where T : class
    {
        if (row is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        writeFields(w, row);
        w.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter w, IpvsStats s)
    {
        w.WriteStartObject("stats");
        w.WriteNumber("connections", s.Connections);
        w.WriteNumber("inPackets", s.InPackets);
        w.WriteNumber("outPackets", s.OutPackets);
        w.WriteNumber("inBytes", s.InBytes);
        w.WriteNumber("outBytes", s.OutBytes);
        w.WriteNumber("connectionsPerSecond", s.ConnectionsPerSecond);
        w.WriteNumber("inPacketsPerSecond", s.InPacketsPerSecond);
        w.WriteNumber("outPacketsPerSecond", s.OutPacketsPerSecond);
        w.WriteNumber("inBytesPerSecond", s.InBytesPerSecond);
        w.WriteNumber("outBytesPerSecond", s.OutBytesPerSecond);
        w.WriteEndObject();
    }
}
