using Ipvs.Engine;

namespace Ipvs.Daemon.Config;

/// <summary>Reads every check of a merged <see cref="CheckSet"/> for one realserver, and refuses a check written twice.</summary>
internal static class CheckSetReader
{
    /// <param name="field">Where a single check is reported: the level's <c>check</c> field.</param>
    public static IReadOnlyList<RealServerCheck>? Read(CheckSet set, string field, ConfigProblems problems, CheckContext ctx)
    {
        var result = new List<RealServerCheck>(set.Items.Count);
        var ok = true;
        for (var i = 0; i < set.Items.Count; i++)
        {
            var check = CheckReader.Read(set.Items[i], set.Paths[i] ?? field, problems, ctx);
            if (check is null)
            {
                ok = false;
                continue;
            }
            var first = result.FindIndex(c => c.Spec == check.Spec && c.Target == check.Target);
            if (first >= 0)
            {
                var firstNode = set.Items[first].Where;
                problems.Add(set.Items[i].Where ?? ctx.Where, set.Paths[i] ?? field,
                    $"duplicate check: the same {check.Spec.Kind} check to the same target as {set.Paths[first] ?? field}{(firstNode is null ? "" : $" (line {firstNode.Start.Line})")}");
                ok = false;
                continue;
            }
            result.Add(check);
        }
        return ok ? result : null;
    }
}
