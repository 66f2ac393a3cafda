using System.Runtime.InteropServices;
using System.Text;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Probes;

/// <summary>posix_spawn with a new process group, default signal dispositions, /dev/null stdin, one pipe for output, and no capabilities to pass on.</summary>
internal sealed partial class ExecCheck
{
    private unsafe int Spawn(out int pid, out int readFd, out int pidFd)
    {
        pid = 0;
        readFd = -1;
        pidFd = -1;
        var fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        var argv = NativeStrings(_argv);
        var envp = NativeStrings(_env);
        var attr = NativeMemory.AllocZeroed(Interop.Spawn.OpaqueSize);
        var actions = NativeMemory.AllocZeroed(Interop.Spawn.OpaqueSize);
        var sigset = NativeMemory.AllocZeroed(256);
        var devnull = Encoding.UTF8.GetBytes("/dev/null\0");
        try
        {
            Interop.Spawn.posix_spawnattr_init(attr);
            Interop.Spawn.posix_spawnattr_setflags(attr, Interop.Spawn.POSIX_SPAWN_SETPGROUP | Interop.Spawn.POSIX_SPAWN_SETSIGMASK | Interop.Spawn.POSIX_SPAWN_SETSIGDEF);
            Interop.Spawn.posix_spawnattr_setpgroup(attr, 0);
            Interop.Spawn.sigemptyset(sigset);
            Interop.Spawn.posix_spawnattr_setsigmask(attr, sigset);
            // The runtime ignores SIGPIPE; the command must get the default back.
            Interop.Spawn.sigfillset(sigset);
            Interop.Spawn.posix_spawnattr_setsigdefault(attr, sigset);
            Interop.Spawn.posix_spawn_file_actions_init(actions);
            fixed (byte* dn = devnull)
            {
                Interop.Spawn.posix_spawn_file_actions_addopen(actions, 0, dn, LibC.O_RDONLY, 0);
            }
            Interop.Spawn.posix_spawn_file_actions_adddup2(actions, fds[1], 1);
            Interop.Spawn.posix_spawn_file_actions_adddup2(actions, fds[1], 2);
            int child;
            int rc;
            if (_switchesUser)
            {
                rc = Interop.Spawn.posix_spawnp(&child, argv[0], actions, attr, argv, envp);
            }
            else
            {
                // The child copies this thread's capability sets: none inheritable, none ambient (ChildProcess).
                using (ChildProcess.WithoutCapabilities())
                {
                    rc = Interop.Spawn.posix_spawnp(&child, argv[0], actions, attr, argv, envp);
                }
            }
            Interop.Spawn.posix_spawn_file_actions_destroy(actions);
            Interop.Spawn.posix_spawnattr_destroy(attr);
            _ = LibC.close(fds[1]);
            if (rc != 0)
            {
                _ = LibC.close(fds[0]);
                return rc;
            }
            pid = child;
            _ = LibC.fcntl(fds[0], LibC.F_SETFL, LibC.O_NONBLOCK);
            readFd = fds[0];
            pidFd = (int)LibC.syscall(LibC.SYS_pidfd_open, child, 0);
            if (pidFd < 0)
            {
                var err = Marshal.GetLastPInvokeError();
                _ = LibC.kill(-child, LibC.SIGKILL);
                _ = Reap(child);
                _ = LibC.close(fds[0]);
                readFd = -1;
                return err;
            }
            return 0;
        }
        finally
        {
            FreeNativeStrings(argv, _argv.Length);
            FreeNativeStrings(envp, _env.Length);
            NativeMemory.Free(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(sigset);
        }
    }

    private static unsafe byte** NativeStrings(string[] values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Length + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Length; i++)
        {
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
        }
        return array;
    }

    private static unsafe void FreeNativeStrings(byte** array, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Marshal.FreeCoTaskMem((nint)array[i]);
        }
        NativeMemory.Free(array);
    }
}
