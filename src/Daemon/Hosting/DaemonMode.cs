namespace Ipvs.Daemon.Hosting;

/// <summary>How the daemon was started.</summary>
internal enum DaemonMode
{
    /// <summary><c>run</c>: a config file and the kernel's IPVS table.</summary>
    Run,
    /// <summary><c>demo</c>: a generated config, simulated realservers, and the kernel's table or an in-memory one.</summary>
    Demo,
}
