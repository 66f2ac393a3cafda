namespace Ipvs.Checks;

/// <summary>
/// What a program the daemon starts (an exec check, an alert command) gets from it: no capabilities and a minimal
/// environment. The shipped unit gives the daemon CAP_NET_ADMIN and CAP_NET_RAW as ambient capabilities, and ambient
/// capabilities pass to every program it executes; so while a child is spawned, the spawning thread's inheritable
/// and ambient sets are empty (capabilities are per thread, and fork/posix_spawn copy the calling thread's), and put
/// back after. The daemon keeps its own permitted and effective sets throughout. A daemon running as root starts
/// programs as root, with root's capabilities: run it as the unit does, or give checks a <c>user:</c>.
/// </summary>
public static class ChildProcess
{
    /// <summary>Used when the daemon has no PATH of its own.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>PATH and LANG as the daemon has them (defaults otherwise); the caller adds the documented variables.</summary>
    public static List<string> BaseEnvironment()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        var lang = Environment.GetEnvironmentVariable("LANG");
        return ["PATH=" + (string.IsNullOrEmpty(path) ? DefaultPath : path), "LANG=" + (string.IsNullOrEmpty(lang) ? "C.UTF-8" : lang)];
    }

    /// <summary>
    /// Empties the calling thread's inheritable and ambient capability sets until disposed: spawn the child inside it,
    /// on the same thread, with no await between. Disposing restores both.
    /// </summary>
    public static CapabilityScope WithoutCapabilities() => CapabilityScope.Enter();
}
