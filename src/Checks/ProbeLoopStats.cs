namespace Ipvs.Checks;

/// <summary>
/// One probe loop's load and lag. <see cref="Load"/> is the share of the last full window (about 10 s) the loop spent
/// working rather than waiting in epoll_wait; <see cref="LagMax"/> the worst delay in the current and the last window
/// between work becoming due on the loop (a posted batch of starts, a planned wake-up) and the loop getting to it.
/// </summary>
public readonly record struct ProbeLoopStats(int Index, long Passes, TimeSpan Busy, double Load, TimeSpan Lag, TimeSpan LagMax);
