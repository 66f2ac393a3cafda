using Ipvs.Checks;

namespace Ipvs.Engine;

/// <summary>The lag guard's judgement of failing results, by <see cref="FailureKind"/>.</summary>
public sealed partial class EngineCounters
{
    private static readonly int KindCount = Enum.GetValues<FailureKind>().Length;
    private readonly long[] _distrustedByKind = new long[KindCount];
    private readonly long[] _trustedWhileLaggingByKind = new long[KindCount];
    internal long _rechecks;

    /// <summary>Failing results of this kind set aside because the engine was late (only kinds lateness may cause).</summary>
    public long DistrustedBy(FailureKind kind) => (uint)kind < (uint)KindCount ? Volatile.Read(ref _distrustedByKind[(int)kind]) : 0;

    /// <summary>Failing results of this kind counted although the engine was late (kinds its lateness cannot cause).</summary>
    public long TrustedWhileLaggingBy(FailureKind kind) => (uint)kind < (uint)KindCount ? Volatile.Read(ref _trustedWhileLaggingByKind[(int)kind]) : 0;

    /// <summary>Re-checks started for a streak of distrusted failures, once the engine was on time again.</summary>
    public long DistrustedRechecks => Volatile.Read(ref _rechecks);

    internal void CountDistrusted(FailureKind kind) => _distrustedByKind[Math.Min((int)kind, KindCount - 1)]++;

    internal void CountTrustedWhileLagging(FailureKind kind) => _trustedWhileLaggingByKind[Math.Min((int)kind, KindCount - 1)]++;
}
