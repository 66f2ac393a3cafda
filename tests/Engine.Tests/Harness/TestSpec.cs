using Ipvs.Checks;

namespace Ipvs.Engine.Tests;

/// <summary>A check spec for engine tests; probes come from <see cref="ScriptedChecks"/>, never from Create.</summary>
public sealed record TestSpec(string Name = "tcp") : CheckSpec
{
    public override string Kind => Name;

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => throw new NotSupportedException("use ScriptedChecks");
}
