using System.Globalization;
using System.Net;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench;

/// <summary>Shared bits of the engine scenarios: argument parsing and topology building.</summary>
internal static class EngineScenarioArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>Virtual services 10.255.x.y:80 of <paramref name="perService"/> realservers each, one tcp check per realserver.</summary>
    public static Topology Topology(IReadOnlyList<IPEndPoint> realServers, int perService, TimeSpan interval, int rise, int fall, TimeSpan timeout)
    {
        var services = new List<VirtualServiceSpec>();
        var spec = new TcpCheckSpec { Timeout = timeout };
        var schedule = new CheckSchedule(interval, rise, fall);
        for (var s = 0; s * perService < realServers.Count; s++)
        {
            var rs = new List<RealServerSpec>();
            for (var i = s * perService; i < Math.Min(realServers.Count, (s + 1) * perService); i++)
            {
                var ep = realServers[i];
                rs.Add(new RealServerSpec(ep, 10, ForwardMethod.Masquerade, [new RealServerCheck(spec, new CheckTarget(ep), schedule)]));
            }
            var vip = new IPEndPoint(new IPAddress([10, 255, (byte)(s >> 8), (byte)s]), 80);
            services.Add(new VirtualServiceSpec($"vs{s}", new ServiceConfig(ServiceKey.ForAddress(IpvsProtocol.Tcp, vip), "wlc"), rs));
        }
        return new Topology(services, new EngineOptions { MaxInFlight = 4096, MaxInFlightPerHost = 64, ReconcileInterval = TimeSpan.FromSeconds(5) });
    }
}
