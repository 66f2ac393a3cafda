using System.Globalization;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>One sample of the Prometheus text format: <c>name{k="v",...} value</c>.</summary>
internal sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string this[string label] => Labels.TryGetValue(label, out var v) ? v : "";

    public static List<MetricSample> Parse(string text)
    {
        var rows = new List<MetricSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                var end = line.LastIndexOf('}');
                // Label values here are names and addresses: no escaped quotes or commas inside them.
                foreach (var pair in line[(brace + 1)..end].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
                }
            }
            else
            {
                name = line[..space];
            }
            rows.Add(new MetricSample(name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
        return rows;
    }
}
