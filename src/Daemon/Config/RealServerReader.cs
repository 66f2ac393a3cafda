using System.Net;
using Ipvs.Engine;
using Ipvs.Netlink;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>Reads the <c>realservers</c> of one virtual service.</summary>
internal static class RealServerReader
{
    public static IReadOnlyList<RealServerSpec> ReadAll(YamlSequenceNode? seq, string field, Inherited inherited, ServiceKey key, string vsName, ConfigProblems problems)
    {
        var result = new List<RealServerSpec>();
        if (seq is null)
        {
            return result;
        }
        var seen = new Dictionary<IPEndPoint, YamlNode>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (ConfigMap.From(seq.Children[i], path, problems) is not { } map)
            {
                if (seq.Children[i] is YamlScalarNode)
                {
                    problems.Add(seq.Children[i], path, "expected a mapping ({ address: ADDRESS:PORT, weight: N })");
                }
                continue;
            }
            var rs = Read(map, inherited, key, vsName, problems);
            if (rs is null)
            {
                continue;
            }
            var node = map.Raw("address")!;
            if (seen.TryGetValue(rs.Address, out var first))
            {
                problems.Add(node, map.Field("address"), $"duplicate realserver {rs.Address} in this virtual service (first at line {first.Start.Line})");
                continue;
            }
            seen[rs.Address] = node;
            result.Add(rs);
        }
        return result;
    }

    private static RealServerSpec? Read(ConfigMap map, Inherited inherited, ServiceKey key, string vsName, ConfigProblems problems)
    {
        // fwmark services match any port, so a realserver may leave its port out (it then keeps the client's).
        var address = map.EndPoint("address", portRequired: !key.IsFirewallMark);
        if (address is null && !map.Has("address"))
        {
            problems.Add(map.Node, map.Field("address"), "a realserver needs an address (ADDRESS:PORT)");
        }
        var own = inherited.Apply(map, problems, realServer: true);
        var upper = map.Int("upper_threshold", 0, int.MaxValue) ?? 0;
        var lower = map.Int("lower_threshold", 0, int.MaxValue) ?? 0;
        if (upper > 0 && lower > upper)
        {
            problems.Add(map.Raw("lower_threshold"), map.Field("lower_threshold"), $"lower_threshold {lower} is above upper_threshold {upper}");
        }
        if (address is null)
        {
            map.RejectUnknown();
            return null;
        }
        if (key.Family != 0 && address.AddressFamily != key.Family && own.Forward != ForwardMethod.Tunnel)
        {
            problems.Add(map.Raw("address"), map.Field("address"), $"realserver {address.Address} is {ServiceReader.FamilyName(address.AddressFamily)} but the service is {ServiceReader.FamilyName(key.Family)}; mixed families work only with forward: tun");
        }
        if (!key.IsFirewallMark && key.Port != 0 && own.Forward is ForwardMethod.Route or ForwardMethod.Tunnel && address.Port != key.Port)
        {
            problems.Add(map.Raw("address"), map.Field("address"),
                $"with forward: {(own.Forward == ForwardMethod.Route ? "dr" : "tun")} packets reach the realserver on the service's port {key.Port}, not {address.Port}: write port {key.Port} (to check another port, use check.port)");
        }
        var ctx = new CheckContext(address, vsName, key.Protocol, key.IsFirewallMark, map.Node, Standalone: key.Family == 0);
        var checks = CheckSetReader.Read(own.Checks, map.Field("check"), problems, ctx);
        map.RejectUnknown();
        if (checks is null)
        {
            return null;
        }
        return new RealServerSpec(address, own.Weight, own.Forward, checks, own.OnFailure, own.SlowStart, (uint)upper, (uint)lower, own.FlapDamping);
    }
}
