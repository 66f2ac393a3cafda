using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Config;

/// <summary>
/// What a level passes down: defaults → virtual service → realserver. Each level starts from the one above and
/// overrides what it writes.
/// </summary>
internal sealed record Inherited(
    CheckLayer Check,
    OnFailure OnFailure,
    TimeSpan SlowStart,
    string Scheduler,
    ForwardMethod Forward,
    int Weight)
{
    public const string DefaultScheduler = "wlc";
    public const int DefaultWeight = 1;

    public static Inherited BuiltIn { get; } = new(CheckLayer.Empty, OnFailure.Quiesce, TimeSpan.Zero, DefaultScheduler, ForwardMethod.Masquerade, DefaultWeight);

    public static readonly Dictionary<string, OnFailure> OnFailures = new(StringComparer.Ordinal)
    {
        ["quiesce"] = OnFailure.Quiesce, ["remove"] = OnFailure.Remove,
    };

    public static readonly Dictionary<string, ForwardMethod> Forwards = new(StringComparer.Ordinal)
    {
        ["nat"] = ForwardMethod.Masquerade, ["dr"] = ForwardMethod.Route, ["tun"] = ForwardMethod.Tunnel, ["local"] = ForwardMethod.Local,
    };

    /// <summary>Scheduler names the kernel ships (ip_vs_*.ko); a typo is caught here rather than as ENOENT at run time.</summary>
    public static readonly HashSet<string> Schedulers = new(StringComparer.Ordinal)
    {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
    };

    /// <summary>This level with the overridable keys of <paramref name="map"/> applied (check is merged, not replaced).</summary>
    /// <param name="realServer">A realserver's own keys: it has no scheduler.</param>
    public Inherited Apply(ConfigMap? map, ConfigProblems problems, bool realServer = false)
    {
        if (map is null)
        {
            return this;
        }
        var scheduler = realServer ? null : map.String("scheduler");
        if (scheduler is not null && !Schedulers.Contains(scheduler))
        {
            problems.Add(map.Raw("scheduler"), map.Field("scheduler"), $"'{scheduler}' is not a scheduler (one of: {string.Join(", ", Schedulers)})");
            scheduler = null;
        }
        var checkNode = map.Raw("check");
        var check = Check;
        if (checkNode is not null && ConfigMap.From(checkNode, map.Field("check"), problems) is { } cm)
        {
            check = Check.Over(cm.Node, map.Field("check"));
        }
        return new Inherited(
            check,
            map.Choice("on_failure", OnFailures) ?? OnFailure,
            map.Duration("slow_start", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? SlowStart,
            scheduler ?? Scheduler,
            map.Choice("forward", Forwards) ?? Forward,
            map.Int("weight", 0, 65535) ?? Weight);
    }
}
