using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Import;

/// <summary>
/// <c>ipvs-checkd import keepalived|ldirectord FILE [-o OUT]</c>: prints (or writes) the equivalent ipvs-checkd
/// config. What cannot be read stops the import with <c>file:line: message</c> and exit 1; nothing is written then.
/// </summary>
public static class ImportCommand
{
    public static readonly IReadOnlyList<string> Formats = ["keepalived", "ldirectord"];

    /// <returns>0 when imported, 1 when the source cannot be read, 2 when the format is not known.</returns>
    public static int Run(string format, string path, string? output, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ImportedConfig config;
        try
        {
            config = format switch
            {
                "keepalived" => KeepalivedImporter.Import(path),
                "ldirectord" => LdirectordImporter.Import(path),
                _ => throw new ArgumentException($"'{format}' is not a format the import reads (keepalived, ldirectord)"),
            };
        }
        catch (ImportException e)
        {
            stderr.WriteLine(e.ToString());
            stderr.WriteLine($"{path}: not imported");
            return 1;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
        var yaml = ImportYamlWriter.Write(config);
        if (output is null)
        {
            stdout.Write(yaml);
        }
        else
        {
            try
            {
                File.WriteAllText(output, yaml);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{output}: cannot write: {e.Message}");
                return 1;
            }
        }
        var rs = config.Services.Sum(s => s.RealServers.Count);
        stderr.WriteLine($"{path}: imported {Count(config.Services.Count, "virtual service")}, {Count(rs, "realserver")}; {Count(config.NoteCount, "note")} to review (comments in the output)");

        // The result is judged as validate would judge it, so that an import never hands over a file the daemon refuses.
        var check = ConfigLoader.Load(yaml, output ?? "(imported config)");
        if (!check.Ok)
        {
            foreach (var p in check.Problems)
            {
                stderr.WriteLine(p.ToString());
            }
            stderr.WriteLine($"{path}: the imported config does not pass validation ({check.Problems.Count} problems above): fix them in the output");
            return 1;
        }
        return 0;
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
