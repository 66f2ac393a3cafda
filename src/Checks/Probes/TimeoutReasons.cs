namespace Ipvs.Checks.Probes;

/// <summary>"timeout after 1000 ms while reading status line", built once per probe and phase.</summary>
internal sealed class TimeoutReasons(TimeSpan timeout)
{
    private readonly string?[] _byPhase = new string?[(int)Phase.Running + 1];

    public string For(Phase phase) =>
        _byPhase[(int)phase] ??= $"timeout after {(long)timeout.TotalMilliseconds} ms while {Reasons.PhaseName(phase)}";
}
