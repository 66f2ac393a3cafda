using Xunit;

namespace Ipvs.Daemon.Tests;

/// <summary>The repository's docs/ pages (and other files), found by walking up from the test program, for tests that hold them to the code.</summary>
internal static class RepoDocs
{
    public static string Read(string page) => ReadFile(Path.Combine("docs", page));

    /// <summary>A file by its path from the repository root (<c>packaging/VERSION</c>).</summary>
    public static string ReadFile(string relativePath)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, relativePath)))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir.FullName, relativePath)).ReplaceLineEndings("\n");
    }
}
