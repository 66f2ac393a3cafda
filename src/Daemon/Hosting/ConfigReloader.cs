using Ipvs.Daemon.Config;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Engine;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// Reload on SIGHUP and <c>POST /api/v1/reload</c>: read and validate the file first; a bad file changes nothing
/// (every problem is logged and returned); a good one goes to the engine as a whole new topology, which it applies
/// as a diff. Reloads run one at a time.
/// </summary>
internal sealed partial class ConfigReloader
{
    private readonly DaemonState _state;
    private readonly HealthEngine _engine;
    private readonly ILogger _logger;
    private readonly Func<string, ConfigLoadResult> _load;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AdminToken? _token;

    public ConfigReloader(DaemonState state, HealthEngine engine, ILogger<ConfigReloader> logger, AdminToken token)
        : this(state, engine, logger, ConfigLoader.LoadFile, token)
    {
    }

    internal ConfigReloader(DaemonState state, HealthEngine engine, ILogger logger, Func<string, ConfigLoadResult> load, AdminToken? token = null)
    {
        _state = state;
        _engine = engine;
        _logger = logger;
        _load = load;
        _token = token;
    }

    public int Applied { get; private set; }

    public int Refused { get; private set; }

    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Reload();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // SIGHUP fires and forgets: an exception here would vanish unobserved. Whatever failed, the running
            // config stays and the operator is told.
            Refused++;
            LogFailed(_logger, _state.Config.SourcePath, e.Message, e);
            return ReloadOutcome.Refused($"{_state.Config.SourcePath}: reload failed ({e.Message}); the running config is unchanged", [e.Message]);
        }
        finally
        {
            _gate.Release();
        }
    }

    private ReloadOutcome Reload()
    {
        var current = _state.Config;
        if (_state.Mode == DaemonMode.Demo)
        {
            return ReloadOutcome.Refused("the demo has no config file to reload", []);
        }
        var path = current.SourcePath;
        var result = _load(path);
        foreach (var w in result.Warnings)
        {
            LogWarning(_logger, w);
        }
        if (!result.Ok)
        {
            Refused++;
            var problems = result.Problems.Select(p => p.ToString()).ToList();
            LogRefused(_logger, path, problems.Count, string.Join(Environment.NewLine, problems));
            return ReloadOutcome.Refused($"{path}: {problems.Count} problem(s); the running config is unchanged", problems);
        }
        var next = result.Config!;
        if (DescriptorBudget.Current() is { } limit && DescriptorBudget.Problem(next.Topology, limit) is { } budget)
        {
            Refused++;
            LogRefused(_logger, path, 1, budget);
            return ReloadOutcome.Refused($"{path}: {budget}; the running config is unchanged", [budget]);
        }
        foreach (var (what, before, after) in RestartOnly(current, next))
        {
            LogNeedsRestart(_logger, what, before, after);
        }
        var diff = TopologyDiff.Compute(current.Topology, next.Topology);
        _engine.ApplyTopology(next.Topology);
        _state.Replace(next);
        // The token file is read again: a rotated token (or a fixed mode) takes effect now, a removed one ends admin access.
        _token?.Reload(next.AdminTokenFile);
        if (_token?.Problem is { } tokenProblem)
        {
            LogWarning(_logger, "admin API refuses every request: " + tokenProblem);
        }
        Applied++;
        var summary = $"{path}: reloaded ({diff})";
        LogApplied(_logger, summary);
        return new ReloadOutcome(true, summary, []);
    }

    // Settings read once at start: a reload notes the change but cannot apply it to a running listener or store.
    private static IEnumerable<(string What, string Before, string After)> RestartOnly(DaemonConfig a, DaemonConfig b)
    {
        if (!a.Listen.Equals(b.Listen))
        {
            yield return ("listen", a.Listen.ToString(), b.Listen.ToString());
        }
        if (a.StateDir != b.StateDir)
        {
            yield return ("state_dir", a.StateDir, b.StateDir);
        }
        if (a.ProbeLoops != b.ProbeLoops)
        {
            static string Loops(int n) => n == 0 ? "one per CPU" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return ("engine.loops", Loops(a.ProbeLoops), Loops(b.ProbeLoops));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogApplied(ILogger logger, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "reload refused: {Path} has {Count} problem(s); the running config is unchanged\n{Problems}")]
    private static partial void LogRefused(ILogger logger, string path, int count, string problems);

    [LoggerMessage(Level = LogLevel.Error, Message = "reload of {Path} failed: {Error}; the running config is unchanged")]
    private static partial void LogFailed(ILogger logger, string path, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} changed ({Before} -> {After}): takes effect at the next restart")]
    private static partial void LogNeedsRestart(ILogger logger, string what, string before, string after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
