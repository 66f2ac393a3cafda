using Ipvs.Checks.Interop;

namespace Ipvs.Checks;

/// <summary>See <see cref="ChildProcess.WithoutCapabilities"/>: the thread's inheritable and ambient sets, emptied and put back.</summary>
public readonly unsafe struct CapabilityScope : IDisposable
{
    private const int MaxCap = 63;
    private readonly bool _changed;
    private readonly Caps.cap_user_data_t _low;
    private readonly Caps.cap_user_data_t _high;
    private readonly ulong _ambient;

    private CapabilityScope(Caps.cap_user_data_t low, Caps.cap_user_data_t high, ulong ambient)
    {
        _changed = true;
        _low = low;
        _high = high;
        _ambient = ambient;
    }

    internal static CapabilityScope Enter()
    {
        var header = new Caps.cap_user_header_t { version = Caps._LINUX_CAPABILITY_VERSION_3 };
        var data = stackalloc Caps.cap_user_data_t[2];
        if (Caps.capget(&header, data) != 0)
        {
            return default;
        }
        var permitted = data[0].permitted | ((ulong)data[1].permitted << 32);
        ulong ambient = 0;
        for (var cap = 0; cap <= MaxCap; cap++)
        {
            if ((permitted & (1UL << cap)) != 0 && Caps.prctl(Caps.PR_CAP_AMBIENT, Caps.PR_CAP_AMBIENT_IS_SET, (nuint)cap, 0, 0) == 1)
            {
                ambient |= 1UL << cap;
            }
        }
        var scope = new CapabilityScope(data[0], data[1], ambient);
        if (data[0].inheritable == 0 && data[1].inheritable == 0 && ambient == 0)
        {
            return default;
        }
        // Ambient first: lowering the inheritable set clears the ambient set anyway, but say it.
        _ = Caps.prctl(Caps.PR_CAP_AMBIENT, Caps.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        data[0].inheritable = 0;
        data[1].inheritable = 0;
        header.version = Caps._LINUX_CAPABILITY_VERSION_3;
        header.pid = 0;
        _ = Caps.capset(&header, data);
        return scope;
    }

    public void Dispose()
    {
        if (!_changed)
        {
            return;
        }
        var header = new Caps.cap_user_header_t { version = Caps._LINUX_CAPABILITY_VERSION_3 };
        var data = stackalloc Caps.cap_user_data_t[2];
        data[0] = _low;
        data[1] = _high;
        _ = Caps.capset(&header, data);
        for (var cap = 0; cap <= MaxCap; cap++)
        {
            if ((_ambient & (1UL << cap)) != 0)
            {
                _ = Caps.prctl(Caps.PR_CAP_AMBIENT, Caps.PR_CAP_AMBIENT_RAISE, (nuint)cap, 0, 0);
            }
        }
    }
}
