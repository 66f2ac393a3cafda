using Ipvs.Daemon.Web.Admin;

namespace Ipvs.Daemon.Web;

/// <summary>Settings of the HTTP side that the daemon's config maps onto.</summary>
public sealed record WebOptions
{
    /// <summary>File holding the admin bearer token (config key <c>admin_token_file</c>). Null: admin API refuses everything.</summary>
    public string? AdminTokenFile { get; init; }

    /// <summary>How many recent transitions the status API and page keep.</summary>
    public int RecentTransitions { get; init; } = 50;

    /// <summary>True when the listener is served over TLS (no warning when bound to a non-loopback address).</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Export a check-duration histogram per realserver endpoint (9 series each). Off: only the histogram per check
    /// kind. Turn off above a few thousand realservers to keep the scrape small (docs/metrics.md).
    /// </summary>
    public bool RealserverHistograms { get; init; } = true;

    /// <summary>
    /// Host names the daemon answers besides IP addresses, localhost names and this machine's own names (config key
    /// <c>allowed_hosts</c>): the names Prometheus or an operator use to reach it. Any other Host gets 421.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>What <c>POST /api/v1/reload</c> runs: validate and apply the config file; errors come back to the caller.</summary>
    public Func<CancellationToken, Task<AdminResult>>? Reload { get; init; }
}
