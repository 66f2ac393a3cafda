using System.Text.RegularExpressions;
using Ipvs.Daemon.Config;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>docs/configuration.md against the config loader: every key it documents is one the loader reads, and every
/// key the loader reads is documented there.</summary>
public sealed partial class ConfigReferenceTests
{
    /// <summary>A config that makes the loader visit every mapping it has: each section, one service per check kind
    /// (kind-specific keys are asked for only for that kind), an expect step of each form, an alert command and webhook.</summary>
    private const string EverySection = """
        listen: 127.0.0.1:9480
        state_dir: /var/lib/ipvs-checkd
        kernel: { reconcile_interval: 5s }
        engine: { max_in_flight: 100 }
        metrics: { realserver_histograms: false, realserver_details: true }
        alerts:
          commands: [{ command: /bin/true }]
          webhooks: [{ url: "http://127.0.0.1:9/hook" }]
        defaults: { check: { type: tcp } }
        virtual_services:
          - { address: 10.0.0.1:80, check: { type: tcp }, realservers: [{ address: 10.0.1.1:80 }] }
          - { address: 10.0.0.2:80, check: { type: http }, realservers: [{ address: 10.0.1.1:80 }] }
          - { address: 10.0.0.3:443, check: { type: https }, realservers: [{ address: 10.0.1.1:443 }] }
          - address: 10.0.0.4:25
            check: { type: expect, steps: [{ send: "a" }, { send_hex: "0a" }, { expect: "b" }, { expect_hex: "0b" }, { expect_regex: "c" }] }
            realservers: [{ address: 10.0.1.1:25 }]
          - { address: 10.0.0.5:25, check: { type: smtp }, realservers: [{ address: 10.0.1.1:25 }] }
          - { protocol: udp, address: 10.0.0.6:53, check: { type: dns }, realservers: [{ address: 10.0.1.1:53 }] }
          - { protocol: udp, address: 10.0.0.7:53, check: { type: udp }, realservers: [{ address: 10.0.1.1:53 }] }
          - { address: 10.0.0.8:80, check: { type: icmp }, realservers: [{ address: 10.0.1.1:80 }] }
          - { address: 10.0.0.9:80, check: { type: exec, command: /bin/true }, realservers: [{ address: 10.0.1.1:80 }] }
          - { address: 10.0.0.10:80, check: { type: agent, port: 7000 }, realservers: [{ address: 10.0.1.1:80 }] }
        """;

    [Fact]
    public void Reference_EveryDocumentedKey_IsReadByTheLoader()
    {
        var asked = LoaderVocabulary();
        var documented = DocumentedKeys();

        Assert.True(documented.Count > 60, $"only {documented.Count} keys found in the reference tables: is the table format still the same?");
        Assert.Empty(documented.Where(k => !asked.Contains(k)).Order());
    }

    [Fact]
    public void Loader_EveryKeyItReads_IsDocumented()
    {
        var asked = LoaderVocabulary();
        // Fenced examples are left out: their ``` would pair up the backticks of the prose wrongly.
        var text = Fenced().Replace(Reference(), "");
        // Documented = written in backticks somewhere in the reference, alone (`weight`) or as a key (`{ send: TEXT }`).
        var spans = Backticked().Matches(text).Select(m => m.Groups[1].Value).ToList();
        bool Documented(string key) => spans.Any(s => s == key || Regex.IsMatch(s, $@"(^|[{{,\s]){Regex.Escape(key)}:"));

        Assert.True(asked.Count > 60, $"the loader asked for only {asked.Count} keys: did the config stop visiting every section?");
        Assert.Empty(asked.Where(k => !Documented(k)).Order());
    }

    private static HashSet<string> LoaderVocabulary()
    {
        ConfigMap.KeysAsked = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var result = ConfigText.Load(EverySection);
            Assert.Empty(result.Problems.Select(p => p.ToString()));
            return ConfigMap.KeysAsked;
        }
        finally
        {
            ConfigMap.KeysAsked = null;
        }
    }

    /// <summary>The keys of the reference's tables: the first column of "| key |" tables, the second of "| kind | key |".</summary>
    private static HashSet<string> DocumentedKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var column = -1;
        foreach (var line in Reference().Split('\n'))
        {
            if (!line.StartsWith('|'))
            {
                column = -1;
                continue;
            }
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (column < 0)
            {
                column = Array.IndexOf(cells, "key");
                continue;
            }
            if (cells.Length <= column || cells[column].StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (Match m in Backticked().Matches(cells[column]))
            {
                keys.Add(m.Groups[1].Value);
            }
        }
        return keys;
    }

    private static string Reference() => RepoDocs.Read("configuration.md");

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex("^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();
}
