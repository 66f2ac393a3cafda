using System.Globalization;
using System.Runtime.InteropServices;
using Ipvs.Daemon.Web.Guard;
using Ipvs.Engine;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The start-up check that the probes and the listener both fit under the descriptor limit (RLIMIT_NOFILE), so
/// neither can starve the other: probes hold at most one descriptor each (an exec check two: its output pipe and its
/// pidfd), and at most <c>max_in_flight</c> run at once; the listener at most <see cref="WebLimits.MaxConnections"/>;
/// the daemon itself (runtime, netlink, epoll, logs, the state file, alerts) gets <see cref="Reserve"/>.
/// </summary>
internal static partial class DescriptorBudget
{
    public const int Reserve = 128;
    private const int RLIMIT_NOFILE = 7;

    /// <summary>Descriptors the probes can hold at once: max_in_flight, or fewer when there are fewer checks.</summary>
    public static long ProbeDescriptors(Topology topology)
    {
        long checks = 0;
        foreach (var vs in topology.VirtualServices)
        {
            foreach (var rs in vs.RealServers)
            {
                foreach (var check in rs.Checks)
                {
                    checks += check.Spec.Kind == "exec" ? 2 : 1;
                }
            }
        }
        return Math.Min(checks, 2L * topology.Options.MaxInFlight);
    }

    /// <summary>Null when everything fits under <paramref name="limit"/>, else an error that names the numbers.</summary>
    public static string? Problem(Topology topology, ulong limit)
    {
        var probes = ProbeDescriptors(topology);
        var need = probes + WebLimits.MaxConnections + Reserve;
        if ((ulong)need <= limit)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"the descriptor limit (RLIMIT_NOFILE) is {limit}, but the checks need up to {probes} (max_in_flight {topology.Options.MaxInFlight}), the HTTP listener up to {WebLimits.MaxConnections} and the daemon itself {Reserve}: {need} in all. Raise the limit (systemd: LimitNOFILE=, shell: ulimit -n) or lower engine.max_in_flight");
    }

    /// <summary>The soft descriptor limit of this process, or null when it cannot be read.</summary>
    public static unsafe ulong? Current()
    {
        var limits = stackalloc ulong[2];
        return getrlimit(RLIMIT_NOFILE, limits) == 0 ? limits[0] : null;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="Problem"/> when the limit is too low.</summary>
    public static void Check(Topology topology)
    {
        if (Current() is { } limit && Problem(topology, limit) is { } problem)
        {
            throw new DescriptorBudgetException(problem);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int getrlimit(int resource, ulong* limits);
}
