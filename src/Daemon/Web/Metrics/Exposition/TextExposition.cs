using System.Globalization;
using System.Text;

namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// Writes Prometheus text format (version 0.0.4) into a reusable stream: family headers, and samples whose
/// <c>{labels}</c> part was encoded once and is copied as bytes. Values use the shortest round-trip form.
/// </summary>
internal static class TextExposition
{
    public static void Family(Stream output, string name, string help, string type)
    {
        Write(output, "# HELP ");
        Write(output, name);
        output.WriteByte((byte)' ');
        Write(output, EscapeHelp(help));
        Write(output, "\n# TYPE ");
        Write(output, name);
        output.WriteByte((byte)' ');
        Write(output, type);
        output.WriteByte((byte)'\n');
    }

    /// <summary>One sample line: <paramref name="name"/> + <paramref name="labels"/> (already <c>{...}</c>) + value.</summary>
    public static void Sample(Stream output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, double value)
    {
        Span<byte> line = stackalloc byte[512];
        if (name.Length + labels.Length + 34 > line.Length)
        {
            output.Write(name);
            output.Write(labels);
            line[0] = (byte)' ';
            var n = 1 + Value(line[1..], value);
            line[n++] = (byte)'\n';
            output.Write(line[..n]);
            return;
        }
        name.CopyTo(line);
        var at = name.Length;
        labels.CopyTo(line[at..]);
        at += labels.Length;
        line[at++] = (byte)' ';
        at += Value(line[at..], value);
        line[at++] = (byte)'\n';
        output.Write(line[..at]);
    }

    /// <summary><c>{a="x",b="y"}</c> with Prometheus' escaping of backslash, double quote and newline.</summary>
    public static byte[] Labels(ReadOnlySpan<string> names, ReadOnlySpan<string> values)
    {
        var text = new StringBuilder(128).Append('{');
        for (var i = 0; i < names.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(names[i]).Append("=\"");
            foreach (var c in values[i])
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }
            text.Append('"');
        }
        return Encoding.UTF8.GetBytes(text.Append('}').ToString());
    }

    private static int Value(Span<byte> into, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            "+Inf"u8.CopyTo(into);
            return 4;
        }
        if (double.IsNegativeInfinity(value))
        {
            "-Inf"u8.CopyTo(into);
            return 4;
        }
        if (double.IsNaN(value))
        {
            "NaN"u8.CopyTo(into);
            return 3;
        }
        value.TryFormat(into, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Write(Stream output, string text)
    {
        Span<byte> buffer = stackalloc byte[1024];
        if (Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length)
        {
            output.Write(buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(text));
        }
    }
}
