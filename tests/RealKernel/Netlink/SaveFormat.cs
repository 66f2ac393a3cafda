using System.Net;
using System.Net.Sockets;
using Ipvs.Netlink;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>
/// Renders a table read by our client in ipvsadm 1.31's -Sn (save) syntax, so the two readings of one kernel
/// table can be compared line for line. -Sn omits thresholds; those are compared separately.
/// </summary>
internal static class SaveFormat
{
    public static IEnumerable<string> Lines(IReadOnlyList<ServiceEntry> table)
    {
        foreach (ServiceEntry s in table)
        {
            string svc = Service(s.Config.Key);
            yield return "-A " + svc + ServiceOptions(s.Config);
            foreach (DestinationEntry d in s.Destinations)
            {
                yield return $"-a {svc} -r {Endpoint(d.Config.Address, d.Config.Port)} {Switch(d.Config.Forward)} -w {d.Config.Weight}{Tunnel(d.Config)}";
            }
        }
    }

    private static string Service(ServiceKey k)
    {
        if (k.IsFirewallMark)
        {
            return k.Family == AddressFamily.InterNetworkV6 ? $"-f {k.FirewallMark} -6" : $"-f {k.FirewallMark}";
        }
        string flag = k.Protocol switch { IpvsProtocol.Tcp => "-t", IpvsProtocol.Udp => "-u", _ => "--sctp-service" };
        return $"{flag} {Endpoint(k.Address!, k.Port)}";
    }

    private static string ServiceOptions(ServiceConfig c)
    {
        string o = $" -s {c.Scheduler}";
        bool v6 = c.Key.Family == AddressFamily.InterNetworkV6;
        if ((c.Flags & ServiceFlags.Persistent) != 0)
        {
            o += $" -p {c.PersistenceTimeoutSeconds}";
            if (v6 ? c.Netmask != 128 : c.Netmask != 0xFFFFFFFF)
            {
                o += v6 ? $" -M {c.Netmask}" : $" -M {c.Netmask >> 24}.{(c.Netmask >> 16) & 0xFF}.{(c.Netmask >> 8) & 0xFF}.{c.Netmask & 0xFF}";
            }
        }
        if (!string.IsNullOrEmpty(c.PersistenceEngine))
        {
            o += $" --pe {c.PersistenceEngine}";
        }
        if ((c.Flags & ServiceFlags.OnePacket) != 0)
        {
            o += " -o";
        }
        var sched = new List<string>();
        string prefix = c.Scheduler is "sh" or "mh" ? c.Scheduler : "";
        if ((c.Flags & ServiceFlags.Sched1) != 0)
        {
            sched.Add(prefix.Length > 0 ? prefix + "-fallback" : "flag-1");
        }
        if ((c.Flags & ServiceFlags.Sched2) != 0)
        {
            sched.Add(prefix.Length > 0 ? prefix + "-port" : "flag-2");
        }
        if ((c.Flags & ServiceFlags.Sched3) != 0)
        {
            sched.Add("flag-3");
        }
        if (sched.Count > 0)
        {
            o += " -b " + string.Join(',', sched);
        }
        return o;
    }

    private static string Switch(ForwardMethod f) => f switch
    {
        ForwardMethod.Masquerade => "-m",
        ForwardMethod.Tunnel => "-i",
        _ => "-g", // ipvsadm prints local and route alike
    };

    private static string Tunnel(DestinationConfig d)
    {
        if (d.Forward != ForwardMethod.Tunnel)
        {
            return "";
        }
        string t = d.TunnelType switch { TunnelType.Gue => "gue", TunnelType.Gre => "gre", _ => "ipip" };
        string o = $" --tun-type {t}";
        if (d.TunnelType == TunnelType.Gue)
        {
            o += $" --tun-port {d.TunnelPort}";
        }
        if (d.TunnelType != TunnelType.IpIp)
        {
            o += d.TunnelFlags switch
            {
                TunnelFlags.Checksum => " --tun-csum",
                TunnelFlags.RemoteChecksum => " --tun-remcsum",
                _ => " --tun-nocsum",
            };
        }
        return o;
    }

    public static string Endpoint(IPAddress a, ushort port) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}";
}
