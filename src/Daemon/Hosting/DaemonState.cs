using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The daemon's current config and how it runs, registered in the container for every part that needs them
/// (the web layer, alerts, reload). Replaced as a whole on a good reload, never edited in place.
/// </summary>
internal sealed class DaemonState
{
    private volatile DaemonConfig _config;

    public DaemonState(DaemonConfig config, DaemonMode mode)
    {
        _config = config;
        Mode = mode;
    }

    public DaemonConfig Config => _config;

    public DaemonMode Mode { get; }

    /// <summary>When the config was last applied (start or reload).</summary>
    public DateTimeOffset AppliedAt { get; private set; } = DateTimeOffset.UtcNow;

    internal void Replace(DaemonConfig config)
    {
        _config = config;
        AppliedAt = DateTimeOffset.UtcNow;
    }
}
