using Microsoft.Extensions.Logging;

namespace Ipvs.Engine;

// Placeholder core so the façade compiles; replaced by the scheduling/reconciling core.
internal sealed class EngineCore(IIpvsTable table, IAdminStateStore adminStore, IHealthCheckFactory checks, TimeProvider time, ILogger logger, Action<EngineEvent> raise) : IDisposable
{
    private Topology? _topology;

    public EngineCounters Counters { get; } = new();

    public IIpvsTable Table => table;

    public bool IsReady => false;

    public IAdminStateStore AdminStore => adminStore;

    public IHealthCheckFactory Checks => checks;

    public ILogger Logger => logger;

    public Action<EngineEvent> RaiseEvent => raise;

    public void ApplyTopology(Topology topology) => _topology = topology;

    public Task StartAsync(CancellationToken cancellationToken) =>
        _topology is null ? throw new InvalidOperationException("apply a topology before starting") : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public EngineSnapshot Snapshot() => EngineSnapshot.Empty(time.GetUtcNow(), table.Description);

    public IReadOnlyList<AdminChange> SetAdmin(string? virtualService, RealServerSelector realServer, AdminState? state, int? weight, bool overrideGiven, string who) => [];

    public int ReleaseHold(string? virtualService, string who) => 0;

    public void Pump()
    {
    }

    public void Dispose()
    {
    }
}
