using System.Text;
using System.Text.RegularExpressions;

namespace Ipvs.Daemon.Import;

/// <summary>
/// Reads keepalived.conf into statements: comments ('#', '!'), quoted strings, braces, <c>include</c> (with
/// globs, relative to the including file), and <c>$NAME=value</c> parameters with <c>$NAME</c>/<c>${NAME}</c>
/// substitution. Conditional lines (<c>@id ...</c>) are skipped with a note: the import has no config id.
/// </summary>
internal sealed partial class KeepalivedReader
{
    private const int MaxIncludeDepth = 16;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<KaToken> _tokens = [];
    private readonly List<string> _notes;

    private KeepalivedReader(List<string> notes) => _notes = notes;

    public static List<KaNode> Read(string path, List<string> notes)
    {
        var reader = new KeepalivedReader(notes);
        reader.ReadFile(path, path, null, 0);
        var i = 0;
        return reader.Block(ref i, null);
    }

    private void ReadFile(string path, string shownName, SourceLine? includedFrom, int depth)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException(includedFrom ?? new SourceLine(shownName, 1), $"cannot read {path}: {e.Message}");
        }
        for (var n = 0; n < lines.Length; n++)
        {
            var where = new SourceLine(shownName, n + 1);
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }
            if (DefinitionRegex().Match(line) is { Success: true } def)
            {
                _parameters[def.Groups[1].Value] = def.Groups[2].Value;
                continue;
            }
            line = Substitute(line, where);
            if (line.StartsWith('@'))
            {
                _notes.Add($"{where}: conditional line skipped ('{line}'): the import has no config id; write the line for this director without '@'");
                continue;
            }
            if (line.StartsWith('~'))
            {
                throw new ImportException(where, $"'{line.Split(' ')[0]}' sequences are not supported by the import: expand them by hand");
            }
            var words = Tokenize(line, where);
            if (words.Count > 0 && words[0].Kind == KaTokenKind.Word && words[0].Text == "include")
            {
                if (words.Count < 2)
                {
                    throw new ImportException(where, "include: file name missing");
                }
                if (depth >= MaxIncludeDepth)
                {
                    throw new ImportException(where, $"include nested deeper than {MaxIncludeDepth} files (an include loop?)");
                }
                foreach (var file in Expand(words[1].Text, path, where))
                {
                    ReadFile(file, file, where, depth + 1);
                }
                continue;
            }
            _tokens.AddRange(words);
            _tokens.Add(new KaToken(KaTokenKind.EndOfLine, "", where));
        }
    }

    private static IEnumerable<string> Expand(string pattern, string includingFile, SourceLine where)
    {
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(includingFile)) ?? ".";
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDir, pattern);
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            if (!File.Exists(full))
            {
                throw new ImportException(where, $"include: {full} does not exist");
            }
            return [full];
        }
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (dir.Contains('*', StringComparison.Ordinal) || dir.Contains('?', StringComparison.Ordinal))
        {
            throw new ImportException(where, "include: wildcards are supported in the file name only, not in directories");
        }
        // keepalived includes nothing (and says nothing) when a glob matches no file.
        return Directory.Exists(dir) ? Directory.GetFiles(dir, Path.GetFileName(full)).Order(StringComparer.Ordinal).ToList() : [];
    }

    private string Substitute(string line, SourceLine where)
    {
        for (var round = 0; round < 10 && line.Contains('$', StringComparison.Ordinal); round++)
        {
            var changed = false;
            line = UseRegex().Replace(line, m =>
            {
                var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (!_parameters.TryGetValue(name, out var v))
                {
                    return m.Value;
                }
                changed = true;
                return v;
            });
            if (!changed)
            {
                return line;
            }
        }
        if (UseRegex().IsMatch(line) && UseRegex().Matches(line).Any(m => _parameters.ContainsKey(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)))
        {
            throw new ImportException(where, "parameter substitution does not end (a parameter refers to itself?)");
        }
        return line;
    }

    private static List<KaToken> Tokenize(string line, SourceLine where)
    {
        var tokens = new List<KaToken>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c is '#' or '!')
            {
                break;
            }
            if (c is '{' or '}')
            {
                tokens.Add(new KaToken(c == '{' ? KaTokenKind.Open : KaTokenKind.Close, c.ToString(), where));
                i++;
                continue;
            }
            if (c == '"')
            {
                var end = line.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new ImportException(where, "a quoted string is not closed");
                }
                tokens.Add(new KaToken(KaTokenKind.Word, line[(i + 1)..end], where));
                i = end + 1;
                continue;
            }
            var sb = new StringBuilder();
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('{' or '}' or '"'))
            {
                sb.Append(line[i]);
                i++;
            }
            tokens.Add(new KaToken(KaTokenKind.Word, sb.ToString(), where));
        }
        return tokens;
    }

    private List<KaNode> Block(ref int i, KaNode? opener)
    {
        var nodes = new List<KaNode>();
        KaNode? current = null;
        for (; i < _tokens.Count; i++)
        {
            var t = _tokens[i];
            switch (t.Kind)
            {
                case KaTokenKind.Word:
                    if (current is null)
                    {
                        current = new KaNode(t.Text, t.Where);
                    }
                    else
                    {
                        current.Args.Add(t.Text);
                    }
                    break;
                case KaTokenKind.EndOfLine:
                    if (current is not null)
                    {
                        nodes.Add(current);
                        current = null;
                    }
                    break;
                case KaTokenKind.Open:
                    // The brace may stand on the line after its keyword.
                    var owner = current ?? (nodes.Count > 0 && nodes[^1].Children is null ? nodes[^1] : null)
                        ?? throw new ImportException(t.Where, "'{' without a keyword before it");
                    if (current is not null)
                    {
                        nodes.Add(current);
                        current = null;
                    }
                    i++;
                    owner.Children = Block(ref i, owner);
                    break;
                case KaTokenKind.Close:
                    if (opener is null)
                    {
                        throw new ImportException(t.Where, "'}' without a matching '{'");
                    }
                    if (current is not null)
                    {
                        nodes.Add(current);
                    }
                    return nodes;
            }
        }
        if (opener is not null)
        {
            throw new ImportException(opener.Where, $"the block of '{opener.Text}' is never closed (missing '}}')");
        }
        if (current is not null)
        {
            nodes.Add(current);
        }
        return nodes;
    }

    [GeneratedRegex(@"^\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex DefinitionRegex();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex UseRegex();
}
