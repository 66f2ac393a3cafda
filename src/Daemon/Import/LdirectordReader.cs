using System.Text.RegularExpressions;

namespace Ipvs.Daemon.Import;

/// <summary>
/// Reads ldirectord.cf: global <c>key=value</c> lines, and <c>virtual=</c> (or <c>virtual6=</c>) lines each
/// followed by the indented lines of its section. '#' starts a comment outside quotes.
/// </summary>
internal static partial class LdirectordReader
{
    public static (List<LdEntry> Globals, List<LdVirtual> Virtuals) Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException(new SourceLine(path, 1), $"cannot read {path}: {e.Message}");
        }
        var globals = new List<LdEntry>();
        var virtuals = new List<LdVirtual>();
        LdVirtual? current = null;
        for (var n = 0; n < lines.Length; n++)
        {
            var where = new SourceLine(path, n + 1);
            var raw = StripComment(lines[n], where);
            if (raw.Trim().Length == 0)
            {
                continue;
            }
            var indented = char.IsWhiteSpace(raw[0]);
            var m = EntryRegex().Match(raw);
            if (!m.Success)
            {
                throw new ImportException(where, $"'{raw.Trim()}' is not KEY = VALUE");
            }
            var entry = new LdEntry(m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Value.Trim(), where);
            if (entry.Key is "virtual" or "virtual6")
            {
                if (indented)
                {
                    throw new ImportException(where, $"{entry.Key}= must start at the beginning of the line (the lines of its section are indented)");
                }
                current = new LdVirtual(entry, []);
                virtuals.Add(current);
            }
            else if (indented)
            {
                if (current is null)
                {
                    throw new ImportException(where, $"indented line '{raw.Trim()}' before any virtual= line");
                }
                current.Options.Add(entry);
            }
            else
            {
                current = null;
                globals.Add(entry);
            }
        }
        return (globals, virtuals);
    }

    private static string StripComment(string line, SourceLine where)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == '#' && !quoted)
            {
                return line[..i];
            }
        }
        return quoted ? throw new ImportException(where, "a quoted string is not closed") : line;
    }

    [GeneratedRegex(@"^\s*([A-Za-z0-9_]+)\s*=\s*(.*)$")]
    private static partial Regex EntryRegex();
}
