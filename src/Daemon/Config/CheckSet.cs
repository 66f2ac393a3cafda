namespace Ipvs.Daemon.Config;

/// <summary>
/// The checks one level (defaults, virtual service, realserver) passes down, as merged so far. The merge rule, also in
/// docs/configuration.md: <c>check:</c> is merged key by key over the one check above it; written below a list it is
/// laid over every check of the list and may not change their type. <c>checks:</c> replaces whatever came from above;
/// each item starts from the shared keys (interval, timeout, rise, fall, address, port, ...) written in <c>check:</c>
/// at the levels above. A level may write one of <c>check</c> and <c>checks</c>, not both.
/// </summary>
/// <param name="Items">The checks, in the order written.</param>
/// <param name="Paths">Per item: where the list item was written (<c>virtual_services[0].checks[1]</c>), or null for a single check.</param>
/// <param name="Shared">The shared keys a list written lower starts from.</param>
/// <param name="IsList">Whether a level above wrote <c>checks</c>.</param>
internal sealed record CheckSet(IReadOnlyList<CheckLayer> Items, IReadOnlyList<string?> Paths, CheckLayer Shared, bool IsList)
{
    public static CheckSet BuiltIn { get; } = new([CheckLayer.Empty], [null], CheckLayer.Empty, false);

    /// <summary>This set with the <c>check</c> or <c>checks</c> of <paramref name="map"/> applied.</summary>
    public CheckSet Over(ConfigMap map, ConfigProblems problems)
    {
        var one = map.Raw("check");
        var many = map.Raw("checks");
        if (one is not null && many is not null)
        {
            problems.Add(map.KeyNode("checks"), map.Field("checks"), "write either check (one check) or checks (a list of checks), not both");
            return this;
        }
        if (many is not null)
        {
            return List(map, problems);
        }
        if (one is null || ConfigMap.From(one, map.Field("check"), problems) is not { } cm)
        {
            return this;
        }
        if (!IsList)
        {
            var merged = Items[0].Over(cm.Node, map.Field("check"));
            return new CheckSet([merged], [null], merged.Shared(), false);
        }
        if (cm.Raw("type") is { } type)
        {
            problems.Add(type, map.Field("check") + ".type",
                "below a list of checks, check is laid over each of them and cannot change their type: write checks to replace the list");
            return this;
        }
        var items = new CheckLayer[Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Items[i].Over(cm.Node, map.Field("check"));
        }
        return new CheckSet(items, Paths, Shared.Over(cm.Node, map.Field("check")).Shared(), true);
    }

    private CheckSet List(ConfigMap map, ConfigProblems problems)
    {
        if (map.Sequence("checks") is not { } seq)
        {
            return this;
        }
        if (seq.Children.Count == 0)
        {
            problems.Add(seq, map.Field("checks"), "checks is an empty list: write at least one check, or leave checks out to inherit the checks above");
            return this;
        }
        var items = new List<CheckLayer>(seq.Children.Count);
        var paths = new List<string?>(seq.Children.Count);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"{map.Field("checks")}[{i}]";
            if (ConfigMap.From(seq.Children[i], path, problems) is not { } item)
            {
                continue;
            }
            items.Add(Shared.Over(item.Node, path));
            paths.Add(path);
        }
        return items.Count == 0 ? this : new CheckSet(items, paths, Shared, true);
    }
}
