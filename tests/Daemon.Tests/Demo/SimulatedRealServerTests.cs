using System.Net;
using System.Net.Sockets;
using System.Text;
using Ipvs.Daemon.Demo;
using Xunit;

namespace Ipvs.Daemon.Tests.Demo;

public sealed class SimulatedRealServerTests
{
    [Fact]
    public async Task Set_EachBehaviour_AnswersAsSaid()
    {
        await using var farm = await DemoFarm.StartAsync(services: 2, realServers: 2, firstPort: Random.Shared.Next(40_000, 50_000));
        var server = farm[1, 0];
        var ct = TestContext.Current.CancellationToken;

        Assert.StartsWith("HTTP/1.1 200 OK", await Get(server.EndPoint, ct));

        server.Set(SimulatedBehaviour.Unhealthy);
        Assert.StartsWith("HTTP/1.1 503", await Get(server.EndPoint, ct));

        server.Set(SimulatedBehaviour.Refuse);
        var refused = await Assert.ThrowsAsync<SocketException>(() => Get(server.EndPoint, ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        server.Set(SimulatedBehaviour.Up);
        Assert.StartsWith("HTTP/1.1 200 OK", await Get(server.EndPoint, ct));
        Assert.Equal(3, server.Served);
    }

    [Fact]
    public async Task ConfigYaml_Farm_IsAValidConfigWithEveryRealserver()
    {
        await using var farm = await DemoFarm.StartAsync(services: 3, realServers: 4, firstPort: Random.Shared.Next(50_000, 60_000));

        var loaded = Ipvs.Daemon.Config.ConfigLoader.Load(farm.ConfigYaml(new IPEndPoint(IPAddress.Loopback, 0)), "demo.yaml");

        Assert.Empty(loaded.Problems);
        var services = loaded.Config!.Topology.VirtualServices;
        Assert.Equal(3, services.Count);
        Assert.All(services, v => Assert.Equal(4, v.RealServers.Count));
        Assert.Equal(farm.EndPointOf(2, 3), services[2].RealServers[3].Address);
        Assert.Equal("http", services[0].RealServers[0].Checks[0].Spec.Kind);
        Assert.Equal("tcp", services[1].RealServers[0].Checks[0].Spec.Kind);
    }

    private static async Task<string> Get(IPEndPoint ep, CancellationToken ct)
    {
        using var socket = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(ep, timeout.Token);
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
        var buffer = new byte[1024];
        var total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token)) > 0)
        {
            total += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, total);
    }
}
