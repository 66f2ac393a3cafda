using System.Diagnostics;
using System.Globalization;

namespace Ipvs.Bench.SideBySide;

/// <summary>
/// The starved scenario's competition: one busy-looping shell per core, pinned to it with taskset, each ended by
/// `timeout` after a bounded time even if this program dies; Dispose kills them at once.
/// </summary>
internal sealed class Starvation : IDisposable
{
    private readonly List<Process> _burners = [];

    private Starvation()
    {
    }

    public static Starvation Start(int cores, TimeSpan limit)
    {
        var s = new Starvation();
        string seconds = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        for (int core = 0; core < cores; core++)
        {
            var psi = new ProcessStartInfo("taskset") { UseShellExecute = false };
            foreach (var a in new[] { "-c", core.ToString(CultureInfo.InvariantCulture), "timeout", seconds, "sh", "-c", "while :; do :; done" })
            {
                psi.ArgumentList.Add(a);
            }
            s._burners.Add(Process.Start(psi)!);
        }
        return s;
    }

    public void Dispose()
    {
        foreach (var p in _burners)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }
}
