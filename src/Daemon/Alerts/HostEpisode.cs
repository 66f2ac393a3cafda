using System.Net;

namespace Ipvs.Daemon.Alerts;

/// <summary>What the policy knows of one host between its first failure and its recovery alert.</summary>
internal sealed class HostEpisode(IPAddress host)
{
    public IPAddress Host { get; } = host;

    /// <summary>Every realserver entry of the host seen going down in this episode, keyed by (service, port).</summary>
    public Dictionary<(string VirtualService, int Port), Entry> Entries { get; } = [];

    public int DownCount { get; set; }

    public DateTimeOffset DownSince { get; set; }

    /// <summary>When the last down entry came back up (all up since then); null while any is down.</summary>
    public DateTimeOffset? UpSince { get; set; }

    /// <summary>Down alerts sent in this episode.</summary>
    public int Sent { get; set; }

    public DateTimeOffset LastSentAt { get; set; }

    internal sealed class Entry(bool up, string? reason, DateTimeOffset since)
    {
        public bool Up { get; set; } = up;

        public string? Reason { get; set; } = reason;

        public DateTimeOffset Since { get; set; } = since;
    }
}
