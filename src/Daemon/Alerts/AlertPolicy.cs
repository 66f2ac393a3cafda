using System.Globalization;
using System.Net;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// Decides which alerts go out, as a pure function of transitions and time (no timers, no I/O; tested in virtual
/// time). One episode per host address: every virtual service on a failed host makes one alert, not one each.
/// A host must stay down for max(hold, group window) before its down alert, then it is repeated every resend
/// interval up to the maximum count; once every entry of the host is back up and has stayed up for the hold
/// time, one recovery alert closes the episode. A host that recovers before its down alert stays silent.
/// </summary>
/// <remarks>Not thread-safe: one owner (the alert service's tick) calls it.</remarks>
internal sealed class AlertPolicy(AlertOptions options)
{
    private readonly Dictionary<IPAddress, HostEpisode> _hosts = [];
    private readonly TimeSpan _downDelay = options.Hold > options.GroupWindow ? options.Hold : options.GroupWindow;

    /// <summary>Hosts with an open episode (for tests and metrics).</summary>
    public int OpenEpisodes => _hosts.Count;

    /// <summary>Down alerts not sent because the host had reached the maximum count.</summary>
    public long Suppressed { get; private set; }

    public void Observe(HealthTransition t)
    {
        var address = t.Realserver.Address.IsIPv4MappedToIPv6 ? t.Realserver.Address.MapToIPv4() : t.Realserver.Address;
        var key = (t.VirtualService, t.Realserver.Port);
        if (!_hosts.TryGetValue(address, out var episode))
        {
            if (t.Up)
            {
                return; // up without a known failure: nothing to tell
            }
            episode = new HostEpisode(address);
            _hosts.Add(address, episode);
        }
        if (!episode.Entries.TryGetValue(key, out var entry))
        {
            if (t.Up)
            {
                return;
            }
            entry = new HostEpisode.Entry(up: true, t.Reason, t.At);
            episode.Entries.Add(key, entry);
        }
        if (entry.Up == t.Up)
        {
            entry.Reason = t.Reason ?? entry.Reason;
            return;
        }
        entry.Up = t.Up;
        entry.Since = t.At;
        if (t.Up)
        {
            entry.Reason = null;
            if (--episode.DownCount == 0)
            {
                episode.UpSince = t.At;
            }
        }
        else
        {
            entry.Reason = t.Reason;
            if (episode.DownCount++ == 0 && episode.Sent == 0)
            {
                episode.DownSince = t.At; // a new episode (or one that recovered silently and failed again)
            }
            episode.UpSince = null;
        }
    }

    /// <summary>The alerts due at <paramref name="now"/>; call at every tick.</summary>
    public List<AlertMessage>? Due(DateTimeOffset now)
    {
        List<AlertMessage>? due = null;
        List<IPAddress>? closed = null;
        foreach (var episode in _hosts.Values)
        {
            if (episode.DownCount > 0)
            {
                if (episode.Sent == 0)
                {
                    if (now - episode.DownSince >= _downDelay)
                    {
                        (due ??= []).Add(Send(episode, AlertKind.Down, now));
                    }
                }
                else if (options.ResendInterval > TimeSpan.Zero && now - episode.LastSentAt >= options.ResendInterval)
                {
                    if (options.MaxAlerts == 0 || episode.Sent < options.MaxAlerts)
                    {
                        (due ??= []).Add(Send(episode, AlertKind.StillDown, now));
                    }
                    else
                    {
                        Suppressed++;
                        episode.LastSentAt = now; // count each skipped resend once
                    }
                }
            }
            else if (episode.Sent == 0)
            {
                (closed ??= []).Add(episode.Host); // recovered before anyone was told: a damped flap
            }
            else if (episode.UpSince is { } upSince && now - upSince >= options.Hold)
            {
                if (options.Recovery)
                {
                    (due ??= []).Add(Message(episode, AlertKind.Recovered, now, 0));
                }
                (closed ??= []).Add(episode.Host);
            }
        }
        foreach (var host in closed ?? [])
        {
            _hosts.Remove(host);
        }
        return due;
    }

    private AlertMessage Send(HostEpisode episode, AlertKind kind, DateTimeOffset now)
    {
        episode.Sent++;
        episode.LastSentAt = now;
        return Message(episode, kind, now, episode.Sent);
    }

    private AlertMessage Message(HostEpisode episode, AlertKind kind, DateTimeOffset now, int count)
    {
        var services = new List<AlertedService>(episode.Entries.Count);
        foreach (var ((vs, port), entry) in episode.Entries)
        {
            var rs = episode.Host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{episode.Host}]:{port.ToString(CultureInfo.InvariantCulture)}"
                : $"{episode.Host}:{port.ToString(CultureInfo.InvariantCulture)}";
            services.Add(new AlertedService(vs, rs, entry.Up, entry.Reason, entry.Since));
        }
        services.Sort(static (a, b) => string.CompareOrdinal(a.VirtualService, b.VirtualService) is var c and not 0 ? c : string.CompareOrdinal(a.Realserver, b.Realserver));
        return new AlertMessage(kind, episode.Host.ToString(), now, episode.DownSince, count, options.MaxAlerts, services);
    }
}
