using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Table;

/// <summary>Text output laid out as ipvsadm -Ln (1.31) prints it, column widths included.</summary>
internal static class TableText
{
    /// <summary>
    /// Writes the table; with <paramref name="daemon"/> each service line ends with the daemon's name for it and
    /// each destination line with the daemon's health and admin state ("-" for entries it does not manage).
    /// </summary>
    public static void Write(TextWriter o, IpvsInfo info, IReadOnlyList<ServiceEntry> table, TableColumns columns, DaemonView? daemon = null)
    {
        o.WriteLine(Invariant($"IP Virtual Server version {info.Version.Major}.{info.Version.Minor}.{info.Version.Build} (size={info.ConnectionTableSize})"));
        switch (columns)
        {
            case TableColumns.Stats:
                o.WriteLine(Invariant($"{"Prot LocalAddress:Port",-33} {"Conns",8} {"InPkts",8} {"OutPkts",8} {"InBytes",8} {"OutBytes",8}"));
                o.WriteLine(daemon is null ? "  -> RemoteAddress:Port" : $"{"  -> RemoteAddress:Port",-78} {Joined}");
                break;
            case TableColumns.Rate:
                o.WriteLine(Invariant($"{"Prot LocalAddress:Port",-33} {"CPS",8} {"InPPS",8} {"OutPPS",8} {"InBPS",8} {"OutBPS",8}"));
                o.WriteLine(daemon is null ? "  -> RemoteAddress:Port" : $"{"  -> RemoteAddress:Port",-78} {Joined}");
                break;
            default:
                o.WriteLine("Prot LocalAddress:Port Scheduler Flags");
                // Joined columns start after the padded InActConn column (70 characters in).
                o.WriteLine(daemon is null ? "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn" : $"{"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",-70} {Joined}");
                break;
        }
        foreach (ServiceEntry s in table)
        {
            WriteService(o, s, columns, daemon);
        }
    }

    /// <summary>"TCP  10.0.0.1:80", "SCTP 10.0.0.2:5000", "FWM  12": ipvsadm's spelling, the protocol padded to 4.</summary>
    public static string ServiceName(ServiceKey key)
    {
        if (key.IsFirewallMark)
        {
            return Invariant($"FWM  {key.FirewallMark}{(key.Family == AddressFamily.InterNetworkV6 ? " IPv6" : "")}");
        }
        string proto = key.Protocol switch { IpvsProtocol.Tcp => "TCP", IpvsProtocol.Udp => "UDP", IpvsProtocol.Sctp => "SCTP", _ => "???" };
        return $"{proto,-4} {Endpoint(key.Address, key.Port)}";
    }

    public static string Endpoint(IPAddress? address, ushort port) =>
        address is null ? "?" : address.AddressFamily == AddressFamily.InterNetworkV6
            ? Invariant($"[{address}]:{port}") : Invariant($"{address}:{port}");

    public static string ForwardName(ForwardMethod f) => f switch
    {
        ForwardMethod.Masquerade => "Masq",
        ForwardMethod.Local => "Local",
        ForwardMethod.Tunnel => "Tunnel",
        _ => "Route",
    };

    /// <summary>ipvsadm's print_largenum: 9 columns, K/M/G/T suffixes beyond 8 digits.</summary>
    public static string LargeNumber(ulong i) => i switch
    {
        < 100_000_000 => Invariant($"{i,9}"),
        < 1_000_000_000 => Invariant($"{i / 1000,8}K"),
        < 100_000_000_000 => Invariant($"{i / 1_000_000,8}M"),
        < 100_000_000_000_000 => Invariant($"{i / 1_000_000_000,8}G"),
        _ => Invariant($"{i / 1_000_000_000_000,8}T"),
    };

    private const string Joined = "Health   Admin";

    private static void WriteService(TextWriter o, ServiceEntry s, TableColumns columns, DaemonView? daemon)
    {
        ServiceConfig c = s.Config;
        string name = ServiceName(c.Key);
        string label = daemon?.Service(c.Key) is { } row ? "  " + DaemonView.Label(row) : "";
        switch (columns)
        {
            case TableColumns.Stats:
                o.WriteLine($"{name,-33}{Counters(s.Stats.Connections, s.Stats.InPackets, s.Stats.OutPackets, s.Stats.InBytes, s.Stats.OutBytes)}{label}");
                break;
            case TableColumns.Rate:
                o.WriteLine($"{name,-33}{Counters(s.Stats.ConnectionsPerSecond, s.Stats.InPacketsPerSecond, s.Stats.OutPacketsPerSecond, s.Stats.InBytesPerSecond, s.Stats.OutBytesPerSecond)}{label}");
                break;
            default:
                o.WriteLine($"{name} {c.Scheduler}{Flags(c)}{label}");
                break;
        }
        foreach (DestinationEntry d in s.Destinations)
        {
            string dname = Endpoint(d.Config.Address, d.Config.Port);
            IpvsStats st = d.Stats;
            string joined = daemon is null ? "" : " " + Columns(daemon.Destination(c.Key, d.Config));
            switch (columns)
            {
                case TableColumns.Stats:
                    o.WriteLine($"  -> {dname,-28}{Counters(st.Connections, st.InPackets, st.OutPackets, st.InBytes, st.OutBytes)}{joined}");
                    break;
                case TableColumns.Rate:
                    o.WriteLine(Invariant($"  -> {dname,-28} {st.ConnectionsPerSecond,8} {st.InPacketsPerSecond,8} {st.OutPacketsPerSecond,8}{LargeNumber(st.InBytesPerSecond)}{LargeNumber(st.OutBytesPerSecond)}{joined}"));
                    break;
                default:
                    // Trailing spaces included: ipvsadm pads the last column too ("%-10u").
                    o.WriteLine(Invariant($"  -> {dname,-28} {ForwardName(d.Config.Forward),-7} {d.Config.Weight,-6} {d.ActiveConnections,-10} {d.InactiveConnections,-10}{joined}"));
                    break;
            }
        }
    }

    /// <summary>The joined columns of one destination: health and admin state, "-" when the daemon does not manage it.</summary>
    private static string Columns(DaemonDestinationRow? row) => row is null ? $"{"-",-8} -" : $"{row.Health,-8} {row.Admin}";

    /// <summary>Scheduler flags by the names ipvsadm gives them for sh and mh ("sh-fallback"), else "flag-N".</summary>
    public static List<string> SchedulerFlagNames(ServiceConfig c)
    {
        var names = new List<string>(3);
        string prefix = c.Scheduler is "sh" or "mh" ? c.Scheduler : "";
        if ((c.Flags & ServiceFlags.Sched1) != 0)
        {
            names.Add(prefix.Length > 0 ? prefix + "-fallback" : "flag-1");
        }
        if ((c.Flags & ServiceFlags.Sched2) != 0)
        {
            names.Add(prefix.Length > 0 ? prefix + "-port" : "flag-2");
        }
        if ((c.Flags & ServiceFlags.Sched3) != 0)
        {
            names.Add("flag-3");
        }
        return names;
    }

    private static string Flags(ServiceConfig c)
    {
        var text = new System.Text.StringBuilder();
        List<string> sched = SchedulerFlagNames(c);
        if (sched.Count > 0)
        {
            text.Append(" (").AppendJoin(',', sched).Append(')');
        }
        if ((c.Flags & ServiceFlags.Persistent) != 0)
        {
            text.Append(Invariant($" persistent {c.PersistenceTimeoutSeconds}"));
            if (c.Key.Family == AddressFamily.InterNetworkV6 ? c.Netmask != 128 : c.Netmask != 0xFFFFFFFF)
            {
                text.Append(" mask ").Append(NetmaskText(c));
            }
        }
        if (!string.IsNullOrEmpty(c.PersistenceEngine))
        {
            text.Append(" pe ").Append(c.PersistenceEngine);
        }
        if ((c.Flags & ServiceFlags.OnePacket) != 0)
        {
            text.Append(" ops");
        }
        return text.ToString();
    }

    public static string NetmaskText(ServiceConfig c) => c.Key.Family == AddressFamily.InterNetworkV6
        ? c.Netmask.ToString(CultureInfo.InvariantCulture)
        : Invariant($"{c.Netmask >> 24}.{(c.Netmask >> 16) & 0xFF}.{(c.Netmask >> 8) & 0xFF}.{c.Netmask & 0xFF}");

    private static string Counters(ulong a, ulong b, ulong c, ulong d, ulong e) =>
        LargeNumber(a) + LargeNumber(b) + LargeNumber(c) + LargeNumber(d) + LargeNumber(e);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
