using System.Runtime.InteropServices;

namespace Ipvs.Testing;

/// <summary>
/// Runs code on a thread whose credentials are those the shipped unit gives the daemon: CAP_NET_ADMIN and CAP_NET_RAW
/// in the inheritable and ambient sets, and no root privilege at exec (SECBIT_NOROOT, so a child of this uid-0 test
/// gets only what a non-root daemon's child would). Capabilities belong to a thread and are copied to the threads and
/// processes it creates, so nothing else in the test process changes. Needs root (CAP_SETPCAP), as the suites run.
/// </summary>
internal static unsafe partial class UnitCapabilities
{
    public const ulong NetAdminAndRaw = (1UL << 12) | (1UL << 13);
    private const int PR_SET_SECUREBITS = 28;
    private const int SECBIT_NOROOT = 1;
    private const int PR_CAP_AMBIENT = 47;
    private const int PR_CAP_AMBIENT_RAISE = 2;

    /// <summary>Runs <paramref name="body"/> on such a thread and returns its result; throws if the setup fails.</summary>
    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "unit capabilities" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("the capability thread did not finish within 60 s");
        }
        if (failure is not null)
        {
            throw new InvalidOperationException("on the capability thread: " + failure.Message, failure);
        }
        return result;
    }

    /// <summary>The CapInh, CapPrm, CapEff and CapAmb lines of a /proc status text as numbers.</summary>
    public static Dictionary<string, ulong> Parse(string status)
    {
        var sets = new Dictionary<string, ulong>();
        foreach (var line in status.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.StartsWith("Cap", StringComparison.Ordinal))
            {
                sets[line[..colon]] = ulong.Parse(line.AsSpan(colon + 1).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return sets;
    }

    private static void Enter()
    {
        if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"prctl(PR_SET_SECUREBITS) failed: errno {Marshal.GetLastPInvokeError()} (the suites run as root)");
        }
        var header = stackalloc uint[2];
        header[0] = 0x20080522;
        header[1] = 0;
        var data = stackalloc uint[6];
        if (capget(header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }
        data[2] |= (uint)NetAdminAndRaw;
        if (capset(header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var cap in (int[])[12, 13])
        {
            if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (nuint)cap, 0, 0) != 0)
            {
                throw new InvalidOperationException($"PR_CAP_AMBIENT_RAISE {cap} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        var own = Parse(File.ReadAllText("/proc/thread-self/status"));
        if ((own["CapAmb"] & NetAdminAndRaw) != NetAdminAndRaw)
        {
            throw new InvalidOperationException($"the thread's ambient set is {own["CapAmb"]:x}, not 3000");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int capget(uint* header, uint* data);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int capset(uint* header, uint* data);
}
