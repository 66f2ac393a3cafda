using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks;

/// <summary>
/// The probe executor: N probe loops, one thread each, made once per process and handed to the scheduler (the
/// engine), which pins each probed target to one of them. Checks owns how probes run; the scheduler owns when.
/// </summary>
public sealed class ProbeLoops : IDisposable
{
    private readonly ProbeLoop[] _loops;

    /// <summary>Starts <paramref name="count"/> loops (threads "ipvs-probe-0", "ipvs-probe-1", ...).</summary>
    public ProbeLoops(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxLoops);
        _loops = new ProbeLoop[count];
        for (var i = 0; i < count; i++)
        {
            _loops[i] = new ProbeLoop(new EpollLoop(count == 1 ? "ipvs-probe" : "ipvs-probe-" + i), i);
        }
    }

    /// <summary>The most loops a process may ask for (a director with more cores gains nothing from more threads).</summary>
    public const int MaxLoops = 256;

    public int Count => _loops.Length;

    public ProbeLoop this[int index] => _loops[index];

    /// <summary>This set's loop whose thread this is, or null on any other thread.</summary>
    public ProbeLoop? Current => ProbeLoop.Current is { } loop && loop.Index < _loops.Length && ReferenceEquals(_loops[loop.Index], loop) ? loop : null;

    /// <summary>
    /// The default number of loops: the CPUs this process may run on (sched_getaffinity, which honours taskset,
    /// cgroup cpusets and systemd's CPUAffinity=), else <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public static int DefaultCount()
    {
        if (OperatingSystem.IsLinux())
        {
            Span<byte> mask = stackalloc byte[MaxLoops * 4 / 8];
            unsafe
            {
                fixed (byte* p = mask)
                {
                    if (LibC.sched_getaffinity(0, (nuint)mask.Length, p) == 0)
                    {
                        var cpus = 0;
                        foreach (var b in mask)
                        {
                            cpus += System.Numerics.BitOperations.PopCount(b);
                        }
                        if (cpus > 0)
                        {
                            return Math.Min(cpus, MaxLoops);
                        }
                    }
                }
            }
        }
        return Math.Clamp(Environment.ProcessorCount, 1, MaxLoops);
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
