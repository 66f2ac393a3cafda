using System.Text;

namespace Ipvs.Checks.Probes;

/// <summary>
/// Parses one agent line (HAProxy's agent-check words), without allocating on the usual answers: words are separated
/// by spaces, tabs or commas, case does not matter, unknown words are ignored, and <c>#</c> starts a description (the
/// reason of a <c>down</c>). The last word of a kind wins.
/// </summary>
internal static class AgentLine
{
    public readonly record struct Parsed(bool Down, string? DownWord, AgentReport Report, int DescriptionAt, int Known);

    public static Parsed Parse(ReadOnlySpan<byte> line)
    {
        bool down = false, hasPercent = false;
        string? downWord = null;
        var percent = 0;
        var state = AgentState.None;
        var known = 0;
        var description = -1;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == (byte)'#')
            {
                description = i + 1;
                break;
            }
            if (c is (byte)' ' or (byte)'\t' or (byte)',')
            {
                i++;
                continue;
            }
            var end = i;
            while (end < line.Length && line[end] is not ((byte)' ' or (byte)'\t' or (byte)',' or (byte)'#'))
            {
                end++;
            }
            var word = line[i..end];
            i = end;
            if (word.Length > 1 && word[^1] == (byte)'%' && Number(word[..^1]) is { } p)
            {
                (hasPercent, percent) = (true, p);
            }
            else if (Is(word, "up"u8))
            {
                (down, downWord) = (false, null);
            }
            else if (Is(word, "down"u8) || Is(word, "fail"u8) || Is(word, "failed"u8) || Is(word, "stopped"u8))
            {
                (down, downWord) = (true, Is(word, "down"u8) ? "down" : Is(word, "stopped"u8) ? "stopped" : "fail");
            }
            else if (Is(word, "ready"u8))
            {
                state = AgentState.Ready;
            }
            else if (Is(word, "drain"u8))
            {
                state = AgentState.Drain;
            }
            else if (Is(word, "maint"u8))
            {
                state = AgentState.Maint;
            }
            else
            {
                continue;
            }
            known++;
        }
        return new Parsed(down, downWord, new AgentReport(hasPercent, percent, state), description, known);
    }

    /// <summary>The line as printable ASCII for a reason (control bytes and non-ASCII as '?'), at most 120 characters.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var n = Math.Min(bytes.Length, 120);
        var sb = new StringBuilder(n);
        foreach (var b in bytes[..n])
        {
            sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }
        return sb.ToString().Trim();
    }

    private static bool Is(ReadOnlySpan<byte> word, ReadOnlySpan<byte> lower)
    {
        if (word.Length != lower.Length)
        {
            return false;
        }
        for (var k = 0; k < word.Length; k++)
        {
            if ((word[k] | 0x20) != lower[k])
            {
                return false;
            }
        }
        return true;
    }

    // 0..100000 (HAProxy allows above 100%: a weight larger than configured); anything else is not a percentage.
    private static int? Number(ReadOnlySpan<byte> digits)
    {
        if (digits.Length is 0 or > 6)
        {
            return null;
        }
        var v = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
            v = v * 10 + (d - '0');
        }
        return v <= 100000 ? v : null;
    }
}
