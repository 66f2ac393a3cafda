namespace Ipvs.Daemon.Web.Status;

/// <summary>One probe loop (a thread running checks' socket I/O) in the status document.</summary>
/// <param name="Loop">Its index, 0..loops−1.</param>
/// <param name="Targets">Probed address:port pairs pinned to it.</param>
/// <param name="Load">Share of the last ~10 s the loop spent working rather than waiting (0..1).</param>
/// <param name="LagMs">How late its last pass got to work that was due (posted check starts, a planned wake-up).</param>
/// <param name="LagMaxMs">The largest such delay in the last 10–20 s.</param>
/// <param name="BusySeconds">Time spent working since the start.</param>
/// <param name="Passes">Passes (wake-ups) since the start.</param>
public sealed record ProbeLoopInfo(int Loop, int Targets, double Load, double LagMs, double LagMaxMs, double BusySeconds, long Passes);
