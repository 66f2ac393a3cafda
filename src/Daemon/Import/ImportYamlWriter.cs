using System.Text;

namespace Ipvs.Daemon.Import;

/// <summary>
/// Writes an <see cref="ImportedConfig"/> as an ipvs-checkd config file. Hand-written rather than serialized so
/// that every note lands as a comment next to what it explains; scalars are spelt by <see cref="YamlText"/>.
/// </summary>
internal static class ImportYamlWriter
{
    public static string Write(ImportedConfig config)
    {
        var w = new StringBuilder();
        w.Append("# ipvs-checkd config imported from ").Append(config.SourceFormat).Append(": ").Append(YamlText.Comment(config.SourceFile)).Append('\n');
        w.Append("# Every setting without an exact equivalent carries a comment saying what was chosen instead; review them,\n");
        w.Append("# then run: ipvs-checkd validate --config THIS_FILE\n");
        foreach (var n in config.Notes)
        {
            Comment(w, 0, n);
        }
        w.Append('\n');
        if (config.OnExit is not null)
        {
            w.Append("kernel:\n  on_exit: ").Append(YamlText.String(config.OnExit)).Append('\n');
        }
        if (config.Services.Count == 0)
        {
            w.Append("virtual_services: []\n");
            return w.ToString();
        }
        w.Append("virtual_services:\n");
        foreach (var s in config.Services)
        {
            Service(w, s);
        }
        return w.ToString();
    }

    private static void Service(StringBuilder w, ImportedService s)
    {
        foreach (var n in s.Notes)
        {
            Comment(w, 2, n);
        }
        w.Append("  - name: ").Append(YamlText.String(s.Name)).Append('\n');
        const int i = 4;
        Key(w, i, "protocol", s.Protocol);
        Key(w, i, "address", s.Address);
        Key(w, i, "fwmark", s.Fwmark);
        Key(w, i, "family", s.Family);
        Key(w, i, "scheduler", s.Scheduler);
        Key(w, i, "forward", s.Forward);
        Key(w, i, "persistence", s.Persistence);
        Key(w, i, "netmask", s.Netmask);
        Key(w, i, "persistence_engine", s.PersistenceEngine);
        if (s.OnePacket)
        {
            Key(w, i, "one_packet", true);
        }
        Key(w, i, "quorum", s.Quorum);
        Key(w, i, "hysteresis", s.Hysteresis);
        Key(w, i, "sorry_server", s.SorryServer);
        Key(w, i, "on_failure", s.OnFailure);
        Checks(w, i, s.Checks);
        if (s.RealServers.Count == 0)
        {
            w.Append(' ', i).Append("realservers: []\n");
            return;
        }
        w.Append(' ', i).Append("realservers:\n");
        foreach (var r in s.RealServers)
        {
            RealServer(w, i + 2, r);
        }
    }

    private static void RealServer(StringBuilder w, int indent, ImportedRealServer r)
    {
        foreach (var n in r.Notes)
        {
            Comment(w, indent, n);
        }
        var simple = r.Checks.Count == 0 && r.Forward is null && r.OnFailure is null && r.UpperThreshold is null && r.LowerThreshold is null;
        if (simple)
        {
            w.Append(' ', indent).Append("- { address: ").Append(YamlText.String(r.Address));
            if (r.Weight is { } weight)
            {
                w.Append(", weight: ").Append(YamlText.Scalar(weight));
            }
            w.Append(" }\n");
            return;
        }
        w.Append(' ', indent).Append("- address: ").Append(YamlText.String(r.Address)).Append('\n');
        var i = indent + 2;
        Key(w, i, "weight", r.Weight);
        Key(w, i, "forward", r.Forward);
        Key(w, i, "on_failure", r.OnFailure);
        Key(w, i, "upper_threshold", r.UpperThreshold);
        Key(w, i, "lower_threshold", r.LowerThreshold);
        Checks(w, i, r.Checks);
    }

    /// <summary>One check as <c>check:</c>, several as <c>checks:</c> (a list).</summary>
    private static void Checks(StringBuilder w, int indent, List<ImportedCheck> checks)
    {
        if (checks.Count == 1)
        {
            if (!checks[0].IsEmpty)
            {
                w.Append(' ', indent).Append("check:\n");
                Check(w, indent + 2, checks[0], "");
            }
            return;
        }
        if (checks.Count == 0)
        {
            return;
        }
        w.Append(' ', indent).Append("checks:\n");
        foreach (var check in checks)
        {
            Check(w, indent + 2, check, "- ");
        }
    }

    /// <param name="first">Written before the first key (a list item's "- ").</param>
    private static void Check(StringBuilder w, int indent, ImportedCheck check, string first)
    {
        var i = indent + first.Length;
        var lead = first;
        foreach (var (key, value) in check.Options)
        {
            if (lead.Length > 0)
            {
                // The list item's dash takes the first key's indent.
                w.Append(' ', indent).Append(lead);
                Entry(w, 0, key, value, i);
                lead = "";
                continue;
            }
            Entry(w, i, key, value, i);
        }
    }

    private static void Entry(StringBuilder w, int pad, string key, object value, int i)
    {
        switch (value)
        {
            case IReadOnlyList<ImportedStep> steps:
                w.Append(' ', pad).Append(key).Append(":\n");
                foreach (var step in steps)
                {
                    w.Append(' ', i + 2).Append("- { ").Append(step.Key).Append(": ").Append(YamlText.String(step.Value)).Append(" }\n");
                }
                break;
            case IReadOnlyList<string> list:
                w.Append(' ', pad).Append(key).Append(": [").Append(string.Join(", ", list.Select(YamlText.String))).Append("]\n");
                break;
            default:
                Key(w, pad, key, value);
                break;
        }
    }

    private static void Key(StringBuilder w, int indent, string key, object? value)
    {
        if (value is null)
        {
            return;
        }
        w.Append(' ', indent).Append(key).Append(": ").Append(YamlText.Scalar(value)).Append('\n');
    }

    private static void Comment(StringBuilder w, int indent, string text) =>
        w.Append(' ', indent).Append("# ").Append(YamlText.Comment(text)).Append('\n');
}
