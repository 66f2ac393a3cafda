using System.Globalization;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Probes;

/// <summary>
/// Whether this process may start a command as another user: setpriv needs CAP_SETUID and CAP_SETGID. The shipped
/// systemd unit runs the daemon as its own unprivileged user with only CAP_NET_ADMIN and CAP_NET_RAW, so there an exec
/// check's <c>user:</c> cannot work — say so plainly rather than fail each run with setpriv's EPERM.
/// </summary>
internal static class UserSwitch
{
    private const int CapSetGid = 6;
    private const int CapSetUid = 7;

    private static readonly Lazy<bool> Allowed = new(() => EffectiveCapabilities() is { } caps
        && (caps & (1UL << CapSetUid)) != 0 && (caps & (1UL << CapSetGid)) != 0);

    /// <summary>True when <paramref name="uid"/> is the daemon's own: nothing to switch.</summary>
    public static bool IsSelf(string uid) => uid == LibC.geteuid().ToString(CultureInfo.InvariantCulture);

    /// <summary>Null when a command can run as <paramref name="user"/> (name or uid) on this machine, else why not.</summary>
    public static string? Problem(string user) => LookUp(user) is { } ids ? Problem(user, ids.Uid) : UnknownUser(user);

    public static string UnknownUser(string user) => "unknown user " + user;

    /// <summary>uid and primary gid from /etc/passwd (name or numeric uid).</summary>
    public static (string Uid, string Gid)? LookUp(string user)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 4 && (f[0] == user || f[2] == user))
                {
                    return (f[2], f[3]);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>Null when a command can run as <paramref name="uid"/>, else why not.</summary>
    public static string? Problem(string user, string uid)
    {
        if (IsSelf(uid) || Allowed.Value)
        {
            return null;
        }
        return $"cannot run as user {user}: the daemon (uid {LibC.geteuid()}) lacks CAP_SETUID and CAP_SETGID; give it both (root, or AmbientCapabilities= in its unit), or remove user: to run checks as the daemon's own user";
    }

    private static ulong? EffectiveCapabilities()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
