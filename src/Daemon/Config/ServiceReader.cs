using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Ipvs.Engine;
using Ipvs.Netlink;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>Reads <c>virtual_services</c>: each service, its realservers, and the combinations that cannot work.</summary>
internal static class ServiceReader
{
    private static readonly Dictionary<string, IpvsProtocol> Protocols = new(StringComparer.Ordinal)
    {
        ["tcp"] = IpvsProtocol.Tcp, ["udp"] = IpvsProtocol.Udp, ["sctp"] = IpvsProtocol.Sctp,
    };

    private static readonly Dictionary<string, AddressFamily> Families = new(StringComparer.Ordinal)
    {
        ["inet"] = AddressFamily.InterNetwork, ["inet6"] = AddressFamily.InterNetworkV6,
    };

    public static IReadOnlyList<VirtualServiceSpec> ReadAll(YamlSequenceNode? seq, string field, Inherited defaults, ConfigProblems problems)
    {
        var result = new List<VirtualServiceSpec>();
        if (seq is null)
        {
            return result;
        }
        var names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var keys = new Dictionary<ServiceKey, YamlNode>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (ConfigMap.From(seq.Children[i], path, problems) is not { } map)
            {
                if (seq.Children[i] is YamlScalarNode)
                {
                    problems.Add(seq.Children[i], path, "expected a mapping (name:, address:, ...)");
                }
                continue;
            }
            var (vs, name, key) = Read(map, defaults, problems);
            var nameNode = map.Raw("name") ?? map.Node;
            if (name is not null && names.TryGetValue(name, out var first))
            {
                problems.Add(nameNode, map.Field("name"), $"duplicate virtual service name '{name}' (first at line {first.Start.Line})");
            }
            else if (name is not null)
            {
                names[name] = nameNode;
            }
            var keyNode = map.Raw("address") ?? map.Raw("fwmark") ?? map.Node;
            if (key is { } k && keys.TryGetValue(k, out var firstKey))
            {
                problems.Add(keyNode, map.Field(map.Has("address") ? "address" : "fwmark"), $"duplicate virtual service {k} (first at line {firstKey.Start.Line})");
            }
            else if (key is { } k2)
            {
                keys[k2] = keyNode;
            }
            if (vs is null)
            {
                continue;
            }
            result.Add(vs);
        }
        return result;
    }

    private static (VirtualServiceSpec? Spec, string? Name, ServiceKey? Key) Read(ConfigMap map, Inherited defaults, ConfigProblems problems)
    {
        var before = problems.Items.Count;
        var hasProtocol = map.Has("protocol");
        var protocol = map.Choice("protocol", Protocols) ?? IpvsProtocol.Tcp;
        var address = map.EndPoint("address", portRequired: true);
        var fwmark = map.Int("fwmark", 1, int.MaxValue);
        var hasFamily = map.Has("family");
        var family = map.Choice("family", Families);
        ServiceKey key;
        if (map.Has("address") && map.Has("fwmark"))
        {
            problems.Add(map.Raw("fwmark"), map.Field("fwmark"), "a virtual service has either an address:port or a fwmark, not both (a fwmark service matches packets by mark, any address and port)");
            return (null, map.String("name"), null);
        }
        if (fwmark is { } mark)
        {
            if (hasProtocol)
            {
                problems.Add(map.Raw("protocol"), map.Field("protocol"), "a fwmark service matches by mark, not by protocol: remove protocol");
            }
            key = ServiceKey.ForFirewallMark(family ?? AddressFamily.InterNetwork, (uint)mark);
        }
        else if (address is not null)
        {
            if (hasFamily)
            {
                problems.Add(map.Raw("family"), map.Field("family"), "family is for fwmark services; an address already has one");
            }
            key = ServiceKey.ForAddress(protocol, address);
        }
        else
        {
            if (!map.Has("address") && !map.Has("fwmark"))
            {
                problems.Add(map.Node, map.Field("address"), "a virtual service needs an address (ADDRESS:PORT) or a fwmark");
            }
            var unnamed = map.String("name");
            ReadRest(map, defaults, problems, default, unnamed ?? "?");
            return (null, unnamed, null);
        }
        var name = map.String("name") ?? key.ToString();
        var vs = ReadRest(map, defaults, problems, key, name);
        return (problems.Items.Count == before ? vs : null, name, key);
    }

    // Reads every remaining key even when the service's key is broken, so one run reports every problem.
    private static VirtualServiceSpec? ReadRest(ConfigMap map, Inherited defaults, ConfigProblems problems, ServiceKey key, string name)
    {
        var inherited = defaults.Apply(map, problems);
        var persistence = map.Duration("persistence", TimeSpan.Zero, TimeSpan.FromDays(30)) ?? TimeSpan.Zero;
        var netmask = ReadNetmask(map, key, problems);
        var pe = map.String("persistence_engine");
        var onePacket = map.Bool("one_packet") ?? false;
        var quorum = map.Int("quorum", 0, int.MaxValue) ?? 0;
        var hysteresis = map.Int("hysteresis", 0, int.MaxValue) ?? 0;
        var massShare = map.Double("mass_failure_share", 0.000001, 1);
        var sorry = map.EndPoint("sorry_server", portRequired: !key.IsFirewallMark);
        if (persistence == TimeSpan.Zero)
        {
            if (map.Has("netmask"))
            {
                problems.Add(map.Raw("netmask"), map.Field("netmask"), "netmask groups clients for persistence, which is off: set persistence or remove netmask");
            }
            if (pe is not null)
            {
                problems.Add(map.Raw("persistence_engine"), map.Field("persistence_engine"), "a persistence engine needs persistence: set persistence");
            }
        }
        if (pe is not null && pe != "sip")
        {
            problems.Add(map.Raw("persistence_engine"), map.Field("persistence_engine"), $"'{pe}' is not a persistence engine (the kernel has: sip)");
        }
        if (onePacket && key.Protocol != IpvsProtocol.Udp)
        {
            problems.Add(map.Raw("one_packet"), map.Field("one_packet"), "one_packet scheduling is for udp services");
        }
        if (hysteresis > 0 && quorum == 0)
        {
            problems.Add(map.Raw("hysteresis"), map.Field("hysteresis"), "hysteresis applies to a quorum, which is off: set quorum or remove hysteresis");
        }
        DestinationConfig? sorryServer = null;
        if (sorry is not null)
        {
            if (key.Family != 0 && sorry.AddressFamily != key.Family)
            {
                problems.Add(map.Raw("sorry_server"), map.Field("sorry_server"), $"sorry server {sorry.Address} is not of the service's address family ({FamilyName(key.Family)})");
            }
            sorryServer = new DestinationConfig(sorry.Address, (ushort)sorry.Port, inherited.Forward, 1);
        }
        var flags = (persistence > TimeSpan.Zero ? ServiceFlags.Persistent : ServiceFlags.None) | (onePacket ? ServiceFlags.OnePacket : ServiceFlags.None);
        var service = new ServiceConfig(key, inherited.Scheduler, flags, (uint)persistence.TotalSeconds, netmask, pe);
        var realServers = RealServerReader.ReadAll(map.Sequence("realservers"), map.Field("realservers"), inherited, key, name, problems);
        if (realServers.Count == 0 && (map.Raw("check") ?? map.Raw("checks")) is { } checkNode)
        {
            CheckSetReader.Read(inherited.Checks, map.Field("check"), problems, CheckContext.Alone(checkNode));
        }
        map.RejectUnknown();
        return new VirtualServiceSpec(name, service, realServers, quorum, hysteresis, sorryServer, massShare);
    }

    // IPv4: a dotted mask or a prefix length, kept as the mask's value (255.255.255.0 = 0xFFFFFF00); IPv6: the prefix length.
    private static uint ReadNetmask(ConfigMap map, ServiceKey key, ConfigProblems problems)
    {
        var v6 = key.Family == AddressFamily.InterNetworkV6;
        var text = map.String("netmask");
        if (text is null)
        {
            return v6 ? 128u : 0xFFFFFFFFu;
        }
        if (int.TryParse(text, out var prefix))
        {
            if (prefix < 1 || prefix > (v6 ? 128 : 32))
            {
                problems.Add(map.Raw("netmask"), map.Field("netmask"), $"prefix length must be 1..{(v6 ? 128 : 32)}");
                return 0;
            }
            return v6 ? (uint)prefix : prefix == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
        }
        if (!v6 && IPAddress.TryParse(text, out var mask) && mask.AddressFamily == AddressFamily.InterNetwork)
        {
            var value = BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
            // A mask is ones then zeros: its inverse plus one is a power of two.
            var inverse = ~value;
            if (value != 0 && (inverse & (inverse + 1)) == 0)
            {
                return value;
            }
        }
        problems.Add(map.Raw("netmask"), map.Field("netmask"), v6 ? $"'{text}': an IPv6 netmask is a prefix length 1..128" : $"'{text}' is not a netmask (255.255.255.0 or a prefix length such as 24)");
        return 0;
    }

    internal static string FamilyName(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
