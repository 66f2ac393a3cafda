using System.Net;
using Ipvs.Netlink;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>What a check is read for: the realserver it probes and the virtual service it belongs to.</summary>
/// <param name="Where">The realserver's node: where a problem of a check nobody wrote (the built-in default) is reported.</param>
/// <param name="Standalone">Judging a check on its own (in defaults, or a service without realservers): its keys and values, not how it fits a service.</param>
internal readonly record struct CheckContext(IPEndPoint RealServer, string VirtualService, IpvsProtocol Protocol, bool FirewallMark, YamlNode Where, bool Standalone = false)
{
    /// <summary>A context for judging a check that is not (yet) attached to a realserver.</summary>
    public static CheckContext Alone(YamlNode where) => new(new IPEndPoint(IPAddress.Loopback, 1), "", IpvsProtocol.Tcp, false, where, Standalone: true);
}
