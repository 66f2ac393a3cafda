namespace Ipvs.Checks.Io;

/// <summary>Work an <see cref="EpollLoop"/> runs on its own thread between waits (see <see cref="EpollLoop.AddTicker"/>).</summary>
internal interface ILoopTicker
{
    /// <summary>Runs on the loop's thread; must not block. Returns when it wants to run next (Environment.TickCount64 ms).</summary>
    long OnTick(long nowMs);
}
