using System.Text;

namespace Ipvs.Daemon.Import;

/// <summary>Splits a command line as the source daemons wrote it into a command and its arguments.</summary>
internal static class CommandLine
{
    private const string ShellCharacters = "|&;<>$`*?()~";

    /// <summary>
    /// Words separated by spaces, with '...' and "..." quoting. A line using shell syntax (pipes, redirections,
    /// variables, globs) is run as <c>/bin/sh -c LINE</c> so that it means what it meant.
    /// </summary>
    public static (string Command, List<string> Args, bool ViaShell) Split(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        var shell = false;
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    sb.Append(c);
                }
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                    inWord = false;
                }
                continue;
            }
            shell |= ShellCharacters.Contains(c, StringComparison.Ordinal) || c == '\\';
            sb.Append(c);
            inWord = true;
        }
        if (inWord)
        {
            words.Add(sb.ToString());
        }
        if (shell || quote != '\0')
        {
            return ("/bin/sh", ["-c", line.Trim()], true);
        }
        return words.Count == 0 ? ("", [], false) : (words[0], words.Skip(1).ToList(), false);
    }
}
