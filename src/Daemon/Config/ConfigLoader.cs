using System.Net;
using Ipvs.Engine;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>
/// Reads and validates a config file into a <see cref="DaemonConfig"/>. Everything a running daemon would refuse is
/// found here, so that <c>validate</c>, start and reload judge a file the same way; nothing is half applied.
/// </summary>
internal static class ConfigLoader
{
    private static readonly Dictionary<string, DriftPolicy> Drifts = new(StringComparer.Ordinal)
    {
        ["ignore"] = DriftPolicy.Ignore, ["revert"] = DriftPolicy.Revert, ["adopt"] = DriftPolicy.Adopt,
    };

    // Far more than any config needs (about six levels), far less than would exhaust the stack.
    private const int MaxNesting = 64;

    private static readonly Dictionary<string, bool> OnExit = new(StringComparer.Ordinal) { ["keep"] = false, ["remove"] = true };

    public static ConfigLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigProblem(path, 1, 1, "(file)", "cannot read: " + e.Message)], []);
        }
        var result = Load(text, path);
        var warnings = new List<string>(result.Warnings);
        if (result.Config is not null && HoldsSecrets(result.Config) && IsWorldReadable(path))
        {
            warnings.Add($"{path}: the file holds secrets (webhook or check headers, login steps) and is readable by every user: chmod o-r {path}");
        }
        return result with { Warnings = warnings };
    }

    public static ConfigLoadResult Load(string text, string fileName)
    {
        var problems = new ConfigProblems(fileName);
        var warnings = new List<string>();
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(scanner), MaxNesting));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is not null && e.Message.Contains("Duplicate key", StringComparison.Ordinal) ? "duplicate key" : Clean(e.Message);
            problems.Add(e.Start.Line, e.Start.Column, "(yaml)", message);
            return new ConfigLoadResult(null, problems.Sorted(), warnings);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // On some broken input the YAML library fails with a bare exception instead of a YamlException (found by
            // fuzzing: an unclosed "{ ..." followed by more lines; an alias right after a flow sequence). It is still a
            // bad file to report where the reader stopped, not a crash of validate or of a reload.
            var at = scanner.CurrentPosition;
            problems.Add(Math.Max(at.Line, 1), Math.Max(at.Column, 1), "(yaml)",
                $"malformed YAML at or before this point (an unclosed '{{', '[' or quote, or a misplaced alias?): {e.Message}");
            return new ConfigLoadResult(null, problems.Sorted(), warnings);
        }
        if (stream.Documents.Count == 0)
        {
            problems.Add(1, 1, "(file)", "the file is empty");
            return new ConfigLoadResult(null, problems.Sorted(), warnings);
        }
        if (stream.Documents.Count > 1)
        {
            problems.Add(stream.Documents[1].RootNode, "(file)", "one YAML document per config file");
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            problems.Add(1, 1, "(file)", "the config must be a mapping (listen:, virtual_services:, ...)");
            return new ConfigLoadResult(null, problems.Sorted(), warnings);
        }
        var root = new ConfigMap(rootNode, "", problems);

        var listen = root.EndPoint("listen", portRequired: true) ?? DaemonConfig.DefaultListen;
        if (root.Has("listen") && !IPAddress.IsLoopback(listen.Address))
        {
            warnings.Add($"listen {listen} is not a loopback address: the API and status page are reachable from the network without TLS");
        }
        var stateDir = root.String("state_dir") ?? DaemonConfig.DefaultStateDir;
        var tokenFile = root.String("admin_token_file");
        var allowedHosts = AllowedHosts(root);
        var childEnvironment = ChildEnvironmentReader.Read(root);
        var options = ReadEngineOptions(root, out var loops);
        var alerts = AlertsReader.Read(root.Map("alerts"), problems);
        var metrics = MetricsConfig.Read(root.Map("metrics"));
        var defaults = DefaultsReader.Read(root.Map("defaults"), problems);
        var services = ServiceReader.ReadAll(root.Sequence("virtual_services"), root.Field("virtual_services"), defaults, problems);
        if (!root.Has("virtual_services"))
        {
            warnings.Add("no virtual_services: the daemon will run and check nothing");
        }
        root.RejectUnknown();
        warnings.AddRange(problems.Warnings());

        if (problems.Any)
        {
            return new ConfigLoadResult(null, problems.Sorted(), warnings);
        }
        var topology = new Topology(ChildEnvironmentReader.Apply(services, childEnvironment), options);
        return new ConfigLoadResult(new DaemonConfig(fileName, listen, stateDir, tokenFile, topology, alerts, metrics)
        {
            AllowedHosts = allowedHosts,
            ChildEnvironment = childEnvironment,
            ProbeLoops = loops,
        }, [], warnings);
    }

    // Host names, as a browser or Prometheus writes them in Host: letters, digits, '-' and '.'.
    private static List<string> AllowedHosts(ConfigMap root)
    {
        var names = new List<string>();
        foreach (var node in root.Scalars("allowed_hosts") ?? [])
        {
            var name = node.Value ?? "";
            if (name.Length is 0 or > 253 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                root.Problems.Add(node, root.Field("allowed_hosts"), $"'{name}' is not a host name (letters, digits, '-' and '.')");
                continue;
            }
            names.Add(name);
        }
        return names;
    }

    private static EngineOptions ReadEngineOptions(ConfigMap root, out int loops)
    {
        var options = new EngineOptions();
        loops = 0;
        var kernel = root.Map("kernel");
        if (kernel is not null)
        {
            options = options with
            {
                ReconcileInterval = kernel.Duration("reconcile_interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? options.ReconcileInterval,
                Drift = kernel.Choice("drift", Drifts) ?? options.Drift,
                RemoveOnExit = kernel.Choice("on_exit", OnExit) ?? options.RemoveOnExit,
                ReadinessGate = kernel.Duration("readiness_gate", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? options.ReadinessGate,
            };
            kernel.RejectUnknown();
        }
        var engine = root.Map("engine");
        if (engine is not null)
        {
            options = options with
            {
                MaxInFlight = engine.Int("max_in_flight", 1, 1_000_000) ?? options.MaxInFlight,
                MaxInFlightPerHost = engine.Int("max_in_flight_per_host", 1, 100_000) ?? options.MaxInFlightPerHost,
                LagGuard = engine.Duration("lag_guard", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)) ?? options.LagGuard,
            };
            loops = engine.Int("loops", 1, Checks.ProbeLoops.MaxLoops) ?? 0;
            engine.RejectUnknown();
        }
        return options;
    }

    private static bool HoldsSecrets(DaemonConfig config) =>
        config.Alerts.Webhooks.Any(w => w.Headers.Count > 0 || !string.IsNullOrEmpty(w.Url.UserInfo))
        || config.Topology.VirtualServices.Any(v => v.RealServers.Any(r => r.Checks.Any(c => HoldsSecrets(c.Spec))));

    // HTTP headers (Authorization, API keys) and dialogue steps that log in (SMTP AUTH, POP3/IMAP/FTP PASS and LOGIN).
    private static bool HoldsSecrets(Checks.CheckSpec spec) => spec switch
    {
        Checks.HttpCheckSpec h => h.Headers.Count > 0,
        Checks.ExpectCheckSpec e => e.Steps.Any(s => s.Action == Checks.ExpectAction.Send
            && (s.Value.Contains("AUTH ", StringComparison.OrdinalIgnoreCase) || s.Value.Contains("PASS ", StringComparison.OrdinalIgnoreCase)
                || s.Value.Contains("LOGIN ", StringComparison.OrdinalIgnoreCase))),
        _ => false,
    };

    private static bool IsWorldReadable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            return (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // YamlDotNet prefixes its messages with the position ("(Line: 3, Col: 5, Idx: 20) - (...): "); ours come first.
    private static string Clean(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message;
    }
}
