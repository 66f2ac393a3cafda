namespace Ipvs.Engine;

/// <summary>
/// Flap damping of one realserver: when it has gone down <paramref name="Failures"/> times within
/// <paramref name="Window"/>, its next recovery does not bring it back at once: it must stay up for
/// <paramref name="Hold"/> first (each failure meanwhile restarts the hold at the next recovery). Rise/fall damp
/// flaps faster than a check interval; this damps the slower ones that rise/fall let through.
/// </summary>
public sealed record FlapDamping(int Failures, TimeSpan Window, TimeSpan Hold);
