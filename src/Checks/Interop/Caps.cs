using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C names

namespace Ipvs.Checks.Interop;

/// <summary>capget/capset and prctl(PR_CAP_AMBIENT); capabilities belong to a thread, not the process.</summary>
internal static unsafe partial class Caps
{
    public const uint _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_IS_SET = 1;
    public const int PR_CAP_AMBIENT_RAISE = 2;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct cap_user_header_t
    {
        public uint version;
        public int pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct cap_user_data_t
    {
        public uint effective;
        public uint permitted;
        public uint inheritable;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int capget(cap_user_header_t* header, cap_user_data_t* data);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int capset(cap_user_header_t* header, cap_user_data_t* data);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
