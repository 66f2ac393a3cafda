using System.Globalization;
using BenchmarkDotNet.Reports;

namespace Ipvs.Bench.Micro;

/// <summary>
/// The allocation budget check: every benchmark's bytes per operation against allocation-budget.txt. A benchmark
/// over budget, a benchmark without a budget line, or a line without a benchmark is a failure.
/// </summary>
internal static class AllocationBudget
{
    /// <summary>Reads "Class.Method maxBytes [why...]" lines; '#' starts a comment.</summary>
    public static Dictionary<string, long> Read(string path)
    {
        var budget = new Dictionary<string, long>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long max))
            {
                throw new FormatException($"{path}:{lineNo}: expected 'Class.Method maxBytes', got '{raw}'");
            }
            if (!budget.TryAdd(parts[0], max))
            {
                throw new FormatException($"{path}:{lineNo}: {parts[0]} is listed twice");
            }
        }
        return budget;
    }

    /// <summary>Compares the summaries with the budget, prints one line per benchmark and a total; returns the exit code.</summary>
    public static int Check(IEnumerable<Summary> summaries, Dictionary<string, long> budget)
    {
        int passed = 0, failed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var descriptor = report.BenchmarkCase.Descriptor;
            string name = $"{descriptor.Type.Name}.{descriptor.WorkloadMethod.Name}";
            seen.Add(name);
            long? bytes = report.Success ? report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) : null;
            string verdict;
            if (bytes is null)
            {
                verdict = "FAIL (no measurement: the benchmark did not run)";
            }
            else if (!budget.TryGetValue(name, out long max))
            {
                verdict = $"FAIL ({bytes} B/op, and no budget line: add one to allocation-budget.txt)";
            }
            else if (bytes > max)
            {
                verdict = $"FAIL ({bytes} B/op > budget {max} B/op)";
            }
            else
            {
                verdict = $"ok ({bytes} B/op, budget {max})";
            }
            bool ok = verdict.StartsWith("ok", StringComparison.Ordinal);
            passed += ok ? 1 : 0;
            failed += ok ? 0 : 1;
            Console.WriteLine($"budget {name,-45} {verdict}");
        }
        foreach (var name in budget.Keys.Where(k => !seen.Contains(k)))
        {
            failed++;
            Console.WriteLine($"budget {name,-45} FAIL (listed in the budget, but no such benchmark ran)");
        }
        Console.WriteLine($"allocation budget: {passed} passed, {failed} failed, 0 skipped");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
