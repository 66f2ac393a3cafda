using Ipvs.Daemon.Config;
using Ipvs.Daemon.Hosting;
using Ipvs.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ipvs.Daemon.Tests.Hosting;

public sealed class ConfigReloaderTests : IAsyncLifetime
{
    // Realservers on loopback ports nobody listens on: the checks run for real and fail fast (refused).
    private const string First = """
        virtual_services:
          - name: a
            address: 127.0.0.1:80
            check: { interval: 1s, timeout: 200ms }
            realservers: [ { address: 127.0.0.1:9 } ]
        """;

    private const string Second = """
        virtual_services:
          - name: a
            address: 127.0.0.1:80
            check: { interval: 1s, timeout: 200ms }
            realservers: [ { address: 127.0.0.1:9 }, { address: 127.0.0.2:9 } ]
          - name: b
            address: 127.0.0.1:81
            check: { interval: 1s, timeout: 200ms }
            realservers: [ { address: 127.0.0.1:9 } ]
        """;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-reload-{Guid.NewGuid():N}.yaml");
    private readonly InMemoryIpvsTable _table = new();
    private HealthEngine _engine = null!;
    private DaemonState _state = null!;
    private ConfigReloader _reloader = null!;

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(_path, First);
        var loaded = ConfigLoader.LoadFile(_path);
        Assert.True(loaded.Ok);
        _state = new DaemonState(loaded.Config!, DaemonMode.Run);
        _engine = new HealthEngine(_table, new InMemoryAdminStateStore());
        _engine.ApplyTopology(loaded.Config!.Topology);
        await _engine.StartAsync();
        _reloader = new ConfigReloader(_state, _engine, NullLogger.Instance, ConfigLoader.LoadFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task ReloadAsync_GoodFile_AppliesTheDiffToTheEngine()
    {
        await File.WriteAllTextAsync(_path, Second, TestContext.Current.CancellationToken);

        var outcome = await _reloader.ReloadAsync(CancellationToken.None);

        Assert.True(outcome.Applied);
        Assert.Equal($"{_path}: reloaded (virtual services +1 -0 ~0, realservers +2 -0 ~0)", outcome.Summary);
        Assert.Equal(["a", "b"], _state.Config.Topology.VirtualServices.Select(v => v.Name));
        var snapshot = _engine.Snapshot();
        Assert.Equal(["a", "b"], snapshot.VirtualServices.Select(v => v.Name).Order());
        Assert.Equal(2, snapshot.VirtualServices.Single(v => v.Name == "a").RealServers.Count);
    }

    [Fact]
    public async Task ReloadAsync_BadFile_ChangesNothingAndReturnsProblems()
    {
        var before = _state.Config;
        await File.WriteAllTextAsync(_path, Second.Replace("127.0.0.1:81", "127.0.0.1:81x", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var outcome = await _reloader.ReloadAsync(CancellationToken.None);

        Assert.False(outcome.Applied);
        Assert.Equal([$"{_path}:7:14: virtual_services[1].address: '127.0.0.1:81x': port must be 1..65535"], outcome.Problems);
        Assert.Same(before, _state.Config);
        Assert.Equal(1, _reloader.Refused);
        var snapshot = _engine.Snapshot();
        Assert.Equal(["a"], snapshot.VirtualServices.Select(v => v.Name));
    }

    [Fact]
    public async Task ReloadAsync_DemoMode_IsRefused()
    {
        var reloader = new ConfigReloader(new DaemonState(_state.Config, DaemonMode.Demo), _engine, NullLogger.Instance, ConfigLoader.LoadFile);

        var outcome = await reloader.ReloadAsync(CancellationToken.None);

        Assert.False(outcome.Applied);
        Assert.Equal("the demo has no config file to reload", outcome.Summary);
    }

    [Fact]
    public void Compute_ChangedRemovedAdded_CountsEach()
    {
        var a = ConfigLoader.Load(Second, "a.yaml").Config!.Topology;
        var b = ConfigLoader.Load("""
            virtual_services:
              - name: a
                address: 127.0.0.1:80
                scheduler: rr
                check: { interval: 1s, timeout: 200ms }
                realservers: [ { address: 127.0.0.1:9, weight: 5 }, { address: 127.0.0.3:9 } ]
            """, "b.yaml").Config!.Topology;

        var diff = TopologyDiff.Compute(a, b);

        Assert.Equal(new TopologyDiff(0, 1, 1, 1, 2, 1), diff);
        Assert.True(TopologyDiff.Compute(a, a).IsEmpty);
    }
}
