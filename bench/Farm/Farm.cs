using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Bench.Farm;

/// <summary>
/// A set of simulated realservers on loopback: <c>count</c> servers on consecutive 127.x addresses (or on consecutive
/// ports of ::1), one protocol each. Start it in-process or run the <c>ipvs-farm</c> executable and drive it over its
/// control channel (<see cref="FarmControl"/>).
/// </summary>
public sealed class Farm : IAsyncDisposable
{
    private readonly Dictionary<IPEndPoint, FarmServer> _byEndPoint = [];

    private Farm(IReadOnlyList<FarmServer> servers)
    {
        Servers = servers;
        foreach (var s in servers)
        {
            _byEndPoint[s.EndPoint] = s;
        }
    }

    public IReadOnlyList<FarmServer> Servers { get; }

    public FarmServer? Find(IPEndPoint endPoint) => _byEndPoint.GetValueOrDefault(endPoint);

    /// <summary>
    /// Starts <paramref name="count"/> servers. IPv4: addresses from <paramref name="first"/> upward (127.1.0.1,
    /// 127.1.0.2, ...), all on <paramref name="port"/>. IPv6 (::1): ports from <paramref name="port"/> upward.
    /// </summary>
    public static Farm Start(int count, FarmProtocol protocol, IPAddress first, int port, FarmBehaviour behaviour = FarmBehaviour.Up)
    {
        X509Certificate2? cert = protocol == FarmProtocol.Https ? SelfSignedCertificate.Create() : null;
        var servers = new List<FarmServer>(count);
        var v4 = first.GetAddressBytes();
        var baseValue = v4.Length == 4 ? (uint)((v4[0] << 24) | (v4[1] << 16) | (v4[2] << 8) | v4[3]) : 0;
        for (var i = 0; i < count; i++)
        {
            IPEndPoint ep = v4.Length == 4
                ? new IPEndPoint(new IPAddress(BitConverter.GetBytes((uint)IPAddress.HostToNetworkOrder((int)(baseValue + (uint)i)))), port)
                : new IPEndPoint(first, port + i);
            var server = new FarmServer(ep, protocol, cert);
            server.SetBehaviour(behaviour);
            servers.Add(server);
        }
        return new Farm(servers);
    }

    public void SetAll(FarmBehaviour behaviour)
    {
        foreach (var s in Servers)
        {
            s.SetBehaviour(behaviour);
        }
    }

    public long Connections => Servers.Sum(s => s.Connections);

    public long Answered => Servers.Sum(s => s.Answered);

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Servers)
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }
    }
}
