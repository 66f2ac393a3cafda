using Ipvs.Checks;
using Ipvs.Engine;

namespace Ipvs.Daemon.Config;

/// <summary>
/// <c>child_environment</c>: what exec checks and alert commands get beyond PATH, LANG and their documented
/// variables. Each entry is <c>NAME=value</c>, or a bare <c>NAME</c> that passes the daemon's own value on (skipped
/// when the daemon has none). Names are C identifiers; <c>IPVS_</c> names are the daemon's own and refused.
/// </summary>
internal static class ChildEnvironmentReader
{
    public static List<string> Read(ConfigMap root)
    {
        var list = new List<string>();
        foreach (var node in root.Scalars("child_environment") ?? [])
        {
            var text = node.Value ?? "";
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? text : text[..eq];
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                root.Problems.Add(node, root.Field("child_environment"), $"'{name}' is not a variable name (letters, digits and '_', not starting with a digit); write NAME or NAME=value");
                continue;
            }
            if (name.StartsWith("IPVS_", StringComparison.Ordinal))
            {
                root.Problems.Add(node, root.Field("child_environment"), $"{name}: IPVS_ variables are set by the daemon itself");
                continue;
            }
            if (eq >= 0)
            {
                list.Add(text);
            }
            else if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                list.Add(name + "=" + value);
            }
        }
        return list;
    }

    /// <summary>The services with <paramref name="environment"/> given to every exec check.</summary>
    public static IReadOnlyList<VirtualServiceSpec> Apply(IReadOnlyList<VirtualServiceSpec> services, List<string> environment)
    {
        if (environment.Count == 0)
        {
            return services;
        }
        ValueList<string> env = [.. environment];
        return [.. services.Select(vs => vs with
        {
            RealServers = [.. vs.RealServers.Select(rs => rs with
            {
                Checks = [.. rs.Checks.Select(c => c.Spec is ExecCheckSpec exec ? c with { Spec = exec with { Environment = env } } : c)],
            })],
        })];
    }
}
