namespace Ipvs.Daemon.Import;

/// <summary>
/// Moves what every realserver's check has in common up to the service's check, so that a service with twenty
/// identical realservers is written with one check block. The config merges a realserver's check over its
/// service's key by key when the type is the same, which makes this exact.
/// </summary>
internal static class CheckFactoring
{
    public static void Apply(ImportedService service)
    {
        var checks = service.RealServers.Select(r => r.Check).ToList();
        if (checks.Count == 0 || checks.Any(c => c is null))
        {
            return;
        }
        var first = checks[0]!;
        if (checks.Any(c => c!.Type != first.Type))
        {
            return;
        }
        var shared = new ImportedCheck();
        foreach (var (key, value) in first.Options)
        {
            var canon = ImportedCheck.Canonical(value);
            if (checks.All(c => c!.Get(key) is { } v && ImportedCheck.Canonical(v) == canon))
            {
                shared.Set(key, value);
            }
        }
        foreach (var c in checks)
        {
            foreach (var (key, _) in shared.Options)
            {
                c!.Remove(key);
            }
        }
        service.Check = shared;
        foreach (var rs in service.RealServers)
        {
            if (rs.Check!.IsEmpty)
            {
                rs.Check = null;
            }
        }
    }

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
