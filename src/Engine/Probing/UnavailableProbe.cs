using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>Stands in for a probe that could not be created: every run reports why, as a check error.</summary>
internal sealed class UnavailableProbe(CheckSpec spec, CheckTarget target, string reason) : IHealthCheck
{
    private readonly CheckResult _result = CheckResult.Error(reason, TimeSpan.Zero);

    public CheckSpec Spec { get; } = spec;

    public CheckTarget Target { get; } = target;

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default) => new(_result);

    public void Dispose()
    {
    }
}
