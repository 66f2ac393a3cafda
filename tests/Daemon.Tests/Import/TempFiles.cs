namespace Ipvs.Daemon.Tests.Import;

/// <summary>A temporary directory for source files written by a test, removed afterwards.</summary>
internal sealed class TempFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("ipvs-import-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
