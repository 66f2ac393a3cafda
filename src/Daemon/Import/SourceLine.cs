namespace Ipvs.Daemon.Import;

/// <summary>A line of a source file (keepalived.conf, an included file, ldirectord.cf), for notes and errors.</summary>
internal readonly record struct SourceLine(string File, int Line)
{
    public override string ToString() => File + ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
