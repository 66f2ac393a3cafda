namespace Ipvs.Engine;

/// <summary>
/// One probe loop as the engine uses it: the targets pinned to it, and its load and lag (see
/// <see cref="Ipvs.Checks.ProbeLoopStats"/>): <see cref="Load"/> is the share of the last ~10 s window it spent
/// working, <see cref="LagMax"/> the worst delay of the last 10–20 s between work becoming due on it and the loop
/// getting to it.
/// </summary>
public sealed record ProbeLoopStatus(int Index, int Targets, long Passes, TimeSpan Busy, double Load, TimeSpan Lag, TimeSpan LagMax);
