namespace Ipvs.Checks.Probes;

// Interim: kinds whose probes land in the next commits. Creating one throws so nothing silently passes.

internal sealed class ExpectCheck(ExpectCheckSpec spec, CheckTarget target) : PendingCheck(spec, target);

internal sealed class DnsCheck(DnsCheckSpec spec, CheckTarget target) : PendingCheck(spec, target);

internal sealed class UdpCheck(UdpCheckSpec spec, CheckTarget target) : PendingCheck(spec, target);

internal sealed class IcmpCheck(IcmpCheckSpec spec, CheckTarget target) : PendingCheck(spec, target);

internal sealed class ExecCheck(ExecCheckSpec spec, CheckTarget target) : PendingCheck(spec, target);

internal abstract class PendingCheck : IHealthCheck
{
    protected PendingCheck(CheckSpec spec, CheckTarget target) => throw new NotSupportedException($"{spec.Kind} checks are not implemented yet ({target.EndPoint})");

    public CheckSpec Spec => throw new NotSupportedException();

    public CheckTarget Target => throw new NotSupportedException();

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
