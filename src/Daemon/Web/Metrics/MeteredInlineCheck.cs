using Ipvs.Checks;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// A metered probe the probe loop can still drive itself (<see cref="IInlineCheck"/>: tcp, plain http): without it
/// the metering wrapper hid the lean path from the engine and every check ran through the async one. Start goes to
/// the inner check; the result is recorded on its way back.
/// </summary>
internal sealed class MeteredInlineCheck(MeteredHealthCheck metered, IInlineCheck inner) : IInlineCheck, ICheckCompletion
{
    private ICheckCompletion? _completion;

    public CheckSpec Spec => metered.Spec;

    public CheckTarget Target => metered.Target;

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default) => metered.RunAsync(cancellationToken);

    public void Start(ICheckCompletion completion)
    {
        _completion = completion;
        inner.Start(this);
    }

    public void OnCheckCompleted(in CheckResult result)
    {
        metered.Record(result);
        var completion = _completion!;
        _completion = null;
        completion.OnCheckCompleted(result);
    }

    public void Cancel() => inner.Cancel();

    public void Dispose() => metered.Dispose();
}
