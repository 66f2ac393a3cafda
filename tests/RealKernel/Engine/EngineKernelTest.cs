using System.Net;
using Ipvs.Checks;
using Ipvs.Engine;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ipvs.RealKernel.Tests.Engine;

/// <summary>
/// Base of the engine's end-to-end tests: the real engine with real HTTP probes writing to the real kernel table
/// over netlink, realservers served by this process on 127.0.97.x (and ::1), an empty table before and after.
/// Intervals are short (300 ms); every wait is a poll with a generous deadline (see <see cref="Margin"/>).
/// </summary>
public abstract class EngineKernelTest : IAsyncLifetime
{
    protected static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    protected static readonly TimeSpan CheckTimeout = TimeSpan.FromMilliseconds(300);
    protected const int Rise = 2;
    protected const int Fall = 2;
    protected static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Slack over the ideal reaction time: the VM's emulated CPU makes a probe, a pass and a netlink batch take up
    /// to hundreds of milliseconds on a busy host, and a slower or loaded CI host stretches that further. Generous on
    /// purpose: a deadline here only bounds the wait (the tests assert what the kernel ends up with, and that steady
    /// state sends nothing); the reaction times are printed to the test output and measured by the benchmarks.
    /// </summary>
    protected static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);

    /// <summary>First convergence includes JIT and the first probes under emulation.</summary>
    protected static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);

    private readonly List<TestRealServer> _servers = [];
    private HealthEngine? _engine;
    private NetlinkIpvsTable? _table;

    protected EngineKernelTest()
    {
        Ipvsadm.Clear();
        Kernel = new KernelView();
    }

    private protected KernelView Kernel { get; }

    private protected CapturingLoggerProvider Logs { get; } = new();

    protected InMemoryAdminStateStore Store { get; } = new();

    protected List<EngineEvent> Events { get; } = [];

    protected HealthEngine Engine => _engine ?? throw new InvalidOperationException("start the engine first");

    protected static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    private protected TestRealServer Server(string address, int port)
    {
        var s = new TestRealServer(new IPEndPoint(IPAddress.Parse(address), port)).Start();
        _servers.Add(s);
        return s;
    }

    protected static ServiceConfig Tcp(string address, int port, string scheduler = "wlc") =>
        new(ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse(address), port)), scheduler);

    private protected static RealServerSpec Rs(TestRealServer server, int weight, ForwardMethod forward = ForwardMethod.Masquerade) =>
        new(server.EndPoint, weight, forward,
            [new RealServerCheck(new HttpCheckSpec { Timeout = CheckTimeout }, new CheckTarget(server.EndPoint, server.EndPoint), new CheckSchedule(Interval, Rise, Fall))]);

    protected static EngineOptions Options(DriftPolicy drift = DriftPolicy.Revert) =>
        new() { ReconcileInterval = ReconcileInterval, Drift = drift, LagGuard = TimeSpan.FromSeconds(2) };

    protected async Task StartEngine(Topology topology)
    {
        _table = NetlinkIpvsTable.Open();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(Logs));
        _engine = new HealthEngine(_table, Store, loggerFactory: loggers);
        _engine.EventRaised += e =>
        {
            lock (Events)
            {
                Events.Add(e);
            }
        };
        _engine.ApplyTopology(topology);
        await _engine.StartAsync(TestContext.Current.CancellationToken);
    }

    protected int EventCount(EngineEventKind kind)
    {
        lock (Events)
        {
            return Events.Count(e => e.Kind == kind);
        }
    }

    /// <summary>Polls the kernel (over our own netlink client) until every listed destination has its weight (null: absent).</summary>
    private protected TimeSpan WaitForWeights(TimeSpan deadline, params (ServiceConfig Service, TestRealServer Server, int? Weight)[] expected) =>
        Poll.Until(
            () =>
            {
                var w = Kernel.Weights();
                return expected.All(e => Lookup(w, e.Service, e.Server) == e.Weight);
            },
            deadline,
            () =>
            {
                var w = Kernel.Weights();
                return "kernel weights " + string.Join(", ", expected.Select(e => $"{KernelView.Key(e.Service.Key, e.Server.EndPoint)}={Show(Lookup(w, e.Service, e.Server))} (want {Show(e.Weight)})"));
            });

    private static int? Lookup(Dictionary<string, int> w, ServiceConfig s, TestRealServer r) =>
        w.TryGetValue(KernelView.Key(s.Key, r.EndPoint), out var v) ? v : null;

    private static string Show(int? w) => w?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent";

    /// <summary>
    /// Over <paramref name="fullReads"/> complete re-reads of the kernel table with nothing changing, the reconciler
    /// must send nothing: a service or destination it keeps "fixing" would show here as edits.
    /// </summary>
    protected void AssertNoEditsWhileSteady(int fullReads = 3)
    {
        var edits = Engine.Counters.KernelEdits;
        var passes = Engine.Counters.ReconcilePasses;
        var reads = Engine.Counters.FullReads;
        var checks = Engine.Counters.ChecksStarted;
        Poll.Until(() => Engine.Counters.FullReads >= reads + fullReads, ReconcileInterval * (fullReads + 1) + Margin,
            () => $"{fullReads} full reads (had {Engine.Counters.FullReads - reads})");
        Assert.True(Engine.Counters.ChecksStarted > checks, "checks kept running during the steady period");
        Assert.Equal(edits, Engine.Counters.KernelEdits);
        Output?.WriteLine($"steady: {Engine.Counters.FullReads - reads} full reads, {Engine.Counters.ReconcilePasses - passes} passes, {Engine.Counters.KernelEdits - edits} edits");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
        _table?.Dispose();
        foreach (var s in _servers)
        {
            s.Dispose();
        }
        Kernel.Dispose();
        Ipvsadm.Clear();
        GC.SuppressFinalize(this);
    }
}
