using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Daemon.Config;

/// <summary>
/// What a level passes down: defaults → virtual service → realserver. Each level starts from the one above and
/// overrides what it writes.
/// </summary>
internal sealed record Inherited(
    CheckSet Checks,
    OnFailure OnFailure,
    TimeSpan SlowStart,
    string Scheduler,
    ForwardMethod Forward,
    int Weight,
    FlapDamping? FlapDamping = null)
{
    public const string DefaultScheduler = "wlc";
    public const int DefaultWeight = 1;

    public static Inherited BuiltIn { get; } = new(CheckSet.BuiltIn, OnFailure.Quiesce, TimeSpan.Zero, DefaultScheduler, ForwardMethod.Masquerade, DefaultWeight);

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

    /// <summary>This level with the overridable keys of <paramref name="map"/> applied (check is merged, not replaced; checks replaces).</summary>
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
        return new Inherited(
            Checks.Over(map, problems),
            map.Choice("on_failure", OnFailures) ?? OnFailure,
            map.Duration("slow_start", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? SlowStart,
            scheduler ?? Scheduler,
            map.Choice("forward", Forwards) ?? Forward,
            map.Int("weight", 0, 65535) ?? Weight,
            map.Has("flap_damping") ? ReadFlapDamping(map, problems) : FlapDamping);
    }

    /// <summary><c>flap_damping: { failures: 3, window: 1m, hold: 2m }</c>, or <c>flap_damping: off</c> to turn an inherited one off.</summary>
    private FlapDamping? ReadFlapDamping(ConfigMap map, ConfigProblems problems)
    {
        if (map.Raw("flap_damping") is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "off" or "false" or "none" })
        {
            return null;
        }
        if (map.Map("flap_damping") is not { } d)
        {
            return FlapDamping;
        }
        var failures = d.Int("failures", 1, 100) ?? 3;
        var window = d.Duration("window", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? TimeSpan.FromMinutes(1);
        var hold = d.Duration("hold", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? TimeSpan.FromMinutes(2);
        d.RejectUnknown();
        return new FlapDamping(failures, window, hold);
    }
}
