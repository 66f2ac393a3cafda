using System.Diagnostics;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>Waits for a condition with a deadline, never a fixed sleep: returns how long it took, throws at the deadline.</summary>
internal static class Poll
{
    public static TimeSpan Until(Func<bool> condition, TimeSpan deadline, Func<string> what, int everyMs = 25)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return sw.Elapsed;
            }
            if (sw.Elapsed > deadline)
            {
                throw new TimeoutException($"not within {deadline.TotalSeconds:0.0} s: {what()}");
            }
            Thread.Sleep(everyMs);
        }
    }

    public static TimeSpan Until(Func<bool> condition, TimeSpan deadline, string what, int everyMs = 25) =>
        Until(condition, deadline, () => what, everyMs);
}
