namespace Ipvs.Checks;

/// <summary>
/// agent (HAProxy's agent-check): connect to the realserver's agent port, optionally send <see cref="Send"/>, read one
/// ASCII line and apply its words: <c>N%</c> scales the configured weight, <c>ready</c>/<c>drain</c>/<c>maint</c> set a
/// state the realserver owns, <c>up</c> passes, <c>down</c>/<c>fail</c>/<c>stopped</c> fail (a reason may follow
/// <c>#</c>). An agent that cannot be reached, or answers nothing usable, does not take the realserver down unless
/// <see cref="DownWhenUnreachable"/>.
/// </summary>
public sealed record AgentCheckSpec : CheckSpec
{
    /// <summary>The longest line read; a longer answer is judged on its first bytes.</summary>
    public const int MaxLine = 1024;

    public override string Kind => "agent";

    /// <summary>A line sent after connecting (a newline is added); null sends nothing.</summary>
    public string? Send { get; init; }

    /// <summary>An agent that cannot be reached (or answers nothing usable) fails the check instead of being ignored.</summary>
    public bool DownWhenUnreachable { get; init; }

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.AgentCheck(this, target, loop.Epoll);
}
