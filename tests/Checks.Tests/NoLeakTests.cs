using System.Net;
using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

[CollectionDefinition(nameof(NoLeakTests), DisableParallelization = true)]
public sealed class NoLeakCollection;

/// <summary>Counts this process's descriptors around many runs against hostile servers; runs alone so nothing else opens fds meanwhile.</summary>
[Collection(nameof(NoLeakTests))]
public sealed class NoLeakTests
{
    [Fact]
    public async Task RunAsync_HostileServersRepeatedly_LeaksNoDescriptor()
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = TimeSpan.FromMilliseconds(100);
        var before = FdCount.Open();
        await using (var hang = new ScriptedServer((_, c) => Task.Delay(Timeout.Infinite, c)))
        await using (var garbage = new ScriptedServer(async (s, c) => await s.WriteAsync(Encoding.ASCII.GetBytes("garbage\r\n"), c)))
        await using (var midway = ScriptedServer.Reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok"))
        {
            var targets = new[] { hang.EndPoint, garbage.EndPoint, midway.EndPoint, new IPEndPoint(IPAddress.Loopback, Ports.Unused()) };
            var specs = new CheckSpec[]
            {
                new HttpCheckSpec { Timeout = deadline, BodyMatch = BodyMatch.Substring("ok") },
                new HttpCheckSpec { Timeout = deadline, Tls = new TlsOptions { Verify = false } },
                new TcpCheckSpec { Timeout = deadline },
                ExpectCheckSpec.Smtp() with { Timeout = deadline },
                new DnsCheckSpec { Timeout = deadline, Tcp = true, QueryName = "a.test", QueryType = DnsQueryType.A },
                new DnsCheckSpec { Timeout = deadline, QueryName = "a.test", QueryType = DnsQueryType.A },
                new AgentCheckSpec { Timeout = deadline, DownWhenUnreachable = true },
            };
            foreach (var spec in specs)
            {
                foreach (var ep in targets)
                {
                    using var check = spec.Create(new CheckTarget(ep));
                    for (var i = 0; i < 5; i++)
                    {
                        var r = await check.RunAsync(ct);
                        Assert.Equal(spec is TcpCheckSpec && ep.Port != targets[3].Port ? CheckStatus.Pass : CheckStatus.Fail, r.Status);
                    }
                }
            }
        }
        Assert.InRange(await FdCount.SettlesAtAsync(before), 0, before + 2);
    }
}
