using Ipvs.Daemon.Import;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Tests.Import;

/// <summary>Runs an import in-process and parses its YAML back, for the tests to look at.</summary>
internal sealed record ImportRun(int Exit, string Yaml, string Errors)
{
    public static string DataDir { get; } = FindDataDir();

    public static string Data(string name) => Path.Combine(DataDir, name);

    public static ImportRun Of(string format, string path)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ImportCommand.Run(format, path, null, stdout, stderr);
        return new ImportRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The daemon's own loader's verdict on the output (what <c>validate</c> says).</summary>
    public Ipvs.Daemon.Config.ConfigLoadResult Validation => Ipvs.Daemon.Config.ConfigLoader.Load(Yaml, "imported.yaml");

    public YamlMappingNode Root
    {
        get
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Yaml));
            return (YamlMappingNode)stream.Documents[0].RootNode;
        }
    }

    public IReadOnlyList<YamlMappingNode> Services =>
        ((YamlSequenceNode)Root.Children[new YamlScalarNode("virtual_services")]).Children.Cast<YamlMappingNode>().ToList();

    public YamlMappingNode Service(string name) => Services.Single(s => Str(s, "name") == name);

    public static string? Str(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    public static YamlMappingNode? Map(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (YamlMappingNode)v : null;

    public static IReadOnlyList<YamlMappingNode> RealServers(YamlMappingNode service) =>
        ((YamlSequenceNode)service.Children[new YamlScalarNode("realservers")]).Children.Cast<YamlMappingNode>().ToList();

    public static IReadOnlyList<string> List(YamlMappingNode map, string key) =>
        ((YamlSequenceNode)map.Children[new YamlScalarNode(key)]).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();

    /// <summary>The checks the daemon's loader reads for one realserver of the output (every checker, every url).</summary>
    public IReadOnlyList<Ipvs.Engine.RealServerCheck> Checks(string service, string realServer)
    {
        var topology = Validation.Config!.Topology;
        var vs = topology.VirtualServices.Single(v => v.Name == service);
        return vs.RealServers.Single(r => r.Address.ToString() == realServer).Checks;
    }

    /// <summary>
    /// The (first) check a realserver ends up with: its service's keys with its own laid over (same type), as the
    /// config merges them; a realserver's own <c>checks</c> list replaces the service's.
    /// </summary>
    public static Dictionary<string, string> EffectiveCheck(YamlMappingNode service, YamlMappingNode realServer)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var level in new[] { Map(service, "check") ?? First(service), Map(realServer, "check") ?? First(realServer) })
        {
            if (level is null)
            {
                continue;
            }
            if (level == First(realServer))
            {
                result.Clear();
            }
            foreach (var (k, v) in level.Children)
            {
                result[((YamlScalarNode)k).Value!] = v is YamlScalarNode s ? s.Value! : string.Join(",", ((YamlSequenceNode)v).Children.Select(Text));
            }
        }
        return result;
    }

    private static YamlMappingNode? First(YamlMappingNode map) =>
        map.Children.TryGetValue(new YamlScalarNode("checks"), out var v) ? (YamlMappingNode)((YamlSequenceNode)v).Children[0] : null;

    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlMappingNode m => string.Join(";", m.Children.Select(kv => Text(kv.Key) + "=" + Text(kv.Value))),
        _ => node.ToString(),
    };

    /// <summary>The comment lines of the output.</summary>
    public IReadOnlyList<string> Comments => Yaml.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('#')).ToList();

    private static string FindDataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Daemon.Tests", "Import", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Daemon.Tests/Import/data not found above " + AppContext.BaseDirectory);
    }
}
