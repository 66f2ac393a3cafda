namespace Ipvs.Checks;

/// <summary>
/// One probe bound to one target. Created once per (check spec, target) and run many times.
/// <see cref="RunAsync"/> never throws (cancellation aside) and never runs past the spec's timeout:
/// the timeout is one total deadline for the whole check, not per phase.
/// </summary>
public interface IHealthCheck : IDisposable
{
    CheckSpec Spec { get; }

    CheckTarget Target { get; }

    ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default);
}
