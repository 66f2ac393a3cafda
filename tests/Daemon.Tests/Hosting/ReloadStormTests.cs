using System.Diagnostics;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Hosting;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Engine;
using Xunit;

namespace Ipvs.Daemon.Tests.Hosting;

/// <summary>
/// A reload storm through the daemon's reload path (what SIGHUP and POST /api/v1/reload call): the file flips between
/// good and bad versions a hundred times in about a second. Every bad version is refused and reported with
/// file:line, every good one applied, and the last good config is what runs at the end, with a bad file on disk.
/// </summary>
public sealed class ReloadStormTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ipvs-storm-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly InMemoryIpvsTable _table = new();
    private string _path = null!;
    private HealthEngine _engine = null!;
    private DaemonState _state = null!;
    private ConfigReloader _reloader = null!;

    /// <summary>A good version: realserver 127.0.0.1:9 with weight <paramref name="weight"/>; odd weights add a second service.</summary>
    private static string Good(int weight) => $$"""
        virtual_services:
          - name: a
            address: 127.0.0.1:80
            check: { interval: 1s, timeout: 200ms }
            realservers: [ { address: 127.0.0.1:9, weight: {{weight}} } ]
        {{(weight % 2 == 1 ? "  - { name: b, address: 127.0.0.1:81, realservers: [ { address: 127.0.0.2:9 } ] }" : "")}}
        """;

    // Bad versions and the line their problem is on: malformed YAML, a wrong type, an out-of-range value, an unknown key.
    private static readonly (string Text, int Line)[] Bad =
    [
        ("virtual_services:\n  - name: a\n    address: 127.0.0.1:80\n    realservers: [ { address: 127.0.0.1:9 \n", 5),
        ("virtual_services:\n  - name: a\n    address: 127.0.0.1:80\n    realservers: [ { address: 127.0.0.1:9, weight: heavy } ]\n", 4),
        ("virtual_services:\n  - name: a\n    address: 127.0.0.1:80\n    check: { interval: 1s, timeout: 200ms }\n    realservers: [ { address: 127.0.0.1:9, weight: 70000 } ]\n", 5),
        ("virtual_services:\n  - name: a\n    adress: 127.0.0.1:80\n    realservers: [ { address: 127.0.0.1:9 } ]\n", 3),
    ];

    public async ValueTask InitializeAsync()
    {
        _path = Path.Combine(_dir, "config.yaml");
        Write(Good(1));
        var loaded = ConfigLoader.LoadFile(_path);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        _state = new DaemonState(loaded.Config!, DaemonMode.Run);
        _engine = new HealthEngine(_table, new InMemoryAdminStateStore());
        _engine.ApplyTopology(loaded.Config!.Topology);
        await _engine.StartAsync();
        _reloader = new ConfigReloader(_state, _engine, _logs.CreateLogger("reload"), ConfigLoader.LoadFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ReloadAsync_HundredReloadsFlippingGoodAndBad_RefusesEveryBadOneAndKeepsTheLastGood()
    {
        var clock = Stopwatch.StartNew();
        var lastGoodWeight = 1;
        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            // Every third version is good; the last one (i = 99) is bad, so the storm ends with a bad file on disk.
            if (i % 3 == 0 && i != 99)
            {
                lastGoodWeight = 2 + i;
                Write(Good(lastGoodWeight));
                var applied = await _reloader.ReloadAsync(TestContext.Current.CancellationToken);
                Assert.True(applied.Applied, $"reload {i}: {applied.Summary} {string.Join("; ", applied.Problems)}");
                continue;
            }
            var (text, line) = Bad[i % Bad.Length];
            Write(text);
            var outcome = await _reloader.ReloadAsync(TestContext.Current.CancellationToken);
            refused++;
            Assert.False(outcome.Applied, $"reload {i} applied a bad file");
            Assert.Contains(outcome.Problems, p => p.StartsWith($"{_path}:{line}:", StringComparison.Ordinal));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"100 reloads in {clock.Elapsed.TotalMilliseconds:0} ms (shared machine)");

        Assert.Equal((100 - refused, refused), (_reloader.Applied, _reloader.Refused));
        // One error line per refused reload, each naming the file.
        Assert.Equal(refused, _logs.Lines.Count(l => l.StartsWith("Error reload: reload refused: " + _path, StringComparison.Ordinal)));
        AssertRunning(lastGoodWeight);
    }

    [Fact]
    public async Task ReloadAsync_HundredOverlappingReloadsWhileTheFileFlips_NeverThrowsAndEndsOnTheLastGood()
    {
        // Like signals arriving faster than reloads finish: nobody awaits, the file keeps changing under them.
        var pending = new List<Task<ReloadOutcome>>();
        for (var i = 0; i < 100; i++)
        {
            Write(i % 2 == 0 ? Good(2 + i) : Bad[i % Bad.Length].Text);
            pending.Add(_reloader.ReloadAsync(CancellationToken.None));
        }
        var outcomes = await Task.WhenAll(pending);
        Assert.Equal(100, _reloader.Applied + _reloader.Refused);
        Assert.All(outcomes.Where(o => !o.Applied), o => Assert.NotEmpty(o.Problems));

        // Whatever interleaving happened, a final good file and one reload converge, and a bad file after it changes nothing.
        Write(Good(500));
        Assert.True((await _reloader.ReloadAsync(CancellationToken.None)).Applied);
        Write(Bad[0].Text);
        Assert.False((await _reloader.ReloadAsync(CancellationToken.None)).Applied);
        AssertRunning(500);
    }

    [Fact]
    public async Task ReloadAsync_LoaderThrows_IsRefusedAndLoggedInsteadOfLost()
    {
        // SIGHUP does not await the reload: an exception from it would otherwise go unobserved.
        var reloader = new ConfigReloader(_state, _engine, _logs.CreateLogger("reload"), _ => throw new IOException("disk went away"));

        var outcome = await reloader.ReloadAsync(CancellationToken.None);

        Assert.False(outcome.Applied);
        Assert.Equal(["disk went away"], outcome.Problems);
        Assert.Contains(_logs.Lines, l => l.StartsWith($"Error reload: reload of {_path} failed: disk went away", StringComparison.Ordinal));
        AssertRunning(1);
    }

    private void AssertRunning(int weight)
    {
        var expected = weight % 2 == 1 ? new[] { "a", "b" } : ["a"];
        Assert.Equal(expected, _state.Config.Topology.VirtualServices.Select(v => v.Name));
        var snapshot = _engine.Snapshot();
        Assert.Equal(expected, snapshot.VirtualServices.Select(v => v.Name).Order());
        Assert.Equal(weight, snapshot.VirtualServices.Single(v => v.Name == "a").RealServers.Single().ConfiguredWeight);
    }

    // The way editors and config management save: a new file renamed over the old, so a reload reads one version whole.
    private void Write(string text)
    {
        var tmp = _path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, _path, overwrite: true);
    }
}
