using Ipvs.Checks;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>Reads one send/expect step: a mapping with exactly one of send, send_hex, expect, expect_hex, expect_regex.</summary>
internal static class ExpectStepReader
{
    public static ExpectStep? Read(YamlNode node, string field, ConfigProblems problems)
    {
        if (node is not YamlMappingNode m || m.Children.Count != 1)
        {
            problems.Add(node, field, "a step is one of: { send: TEXT }, { send_hex: HEX }, { expect: TEXT }, { expect_hex: HEX }, { expect_regex: REGEX }");
            return null;
        }
        var (k, v) = m.Children.First();
        var key = (k as YamlScalarNode)?.Value ?? "";
        var value = (v as YamlScalarNode)?.Value;
        if (value is null)
        {
            problems.Add(v, field + "." + key, "expected a single value");
            return null;
        }
        switch (key)
        {
            case "send":
                return ExpectStep.Send(value);
            case "expect":
                return ExpectStep.Expect(value);
            case "send_hex" or "expect_hex":
                if (!IsHex(value))
                {
                    problems.Add(v, field + "." + key, "not hex bytes (e.g. \"0a ff 00\")");
                    return null;
                }
                return key == "send_hex" ? ExpectStep.SendHex(value) : ExpectStep.ExpectHex(value);
            case "expect_regex":
                if (!CheckSpecReader.ValidRegex(value, out var error))
                {
                    problems.Add(v, field + "." + key, error!);
                    return null;
                }
                return ExpectStep.ExpectRegex(value);
            default:
                problems.Add(k, field + "." + key, "unknown step (send, send_hex, expect, expect_hex, expect_regex)");
                return null;
        }
    }

    /// <summary>Hex bytes, spaces allowed between them.</summary>
    public static bool IsHex(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
            digits++;
        }
        return digits > 0 && digits % 2 == 0;
    }
}
