namespace Ipvs.Daemon.Import;

/// <summary>
/// Moves what every realserver's checks have in common up to the service, so that a service with twenty identical
/// realservers is written with one check block. With one check each, the config merges a realserver's check over its
/// service's key by key when the type is the same, which makes this exact. With several checks each (every checker,
/// every url), the list goes up only when every realserver has the same list; otherwise each keeps its own
/// (<c>checks</c> on a realserver replaces the service's).
/// </summary>
internal static class CheckFactoring
{
    public static void Apply(ImportedService service)
    {
        var lists = service.RealServers.Select(r => r.Checks).ToList();
        if (lists.Count == 0 || lists.Any(c => c.Count == 0))
        {
            return;
        }
        if (lists.Any(c => c.Count != 1))
        {
            var text = Canonical(lists[0]);
            if (lists.All(l => Canonical(l) == text))
            {
                service.Checks = lists[0];
                foreach (var rs in service.RealServers)
                {
                    rs.Checks = [];
                }
            }
            return;
        }
        var checks = lists.Select(l => l[0]).ToList();
        var first = checks[0];
        if (checks.Any(c => c.Type != first.Type))
        {
            return;
        }
        var shared = new ImportedCheck();
        foreach (var (key, value) in first.Options)
        {
            var canon = ImportedCheck.Canonical(value);
            if (checks.All(c => c.Get(key) is { } v && ImportedCheck.Canonical(v) == canon))
            {
                shared.Set(key, value);
            }
        }
        foreach (var c in checks)
        {
            foreach (var (key, _) in shared.Options)
            {
                c.Remove(key);
            }
        }
        service.Checks = [shared];
        foreach (var rs in service.RealServers)
        {
            if (rs.Checks[0].IsEmpty)
            {
                rs.Checks = [];
            }
        }
    }

    private static string Canonical(List<ImportedCheck> checks) =>
        string.Join("\u0003", checks.Select(c => string.Join("\u0004", c.Options.Select(o => o.Key + "=" + ImportedCheck.Canonical(o.Value)))));

    /// <summary>A setting every realserver has the same value of (forward, on_failure) goes up to the service.</summary>
    public static string? Common(IReadOnlyList<ImportedRealServer> realServers, Func<ImportedRealServer, string?> get)
    {
        if (realServers.Count == 0)
        {
            return null;
        }
        var v = get(realServers[0]);
        return realServers.All(r => get(r) == v) ? v : null;
    }
}
