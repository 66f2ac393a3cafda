using Xunit;

namespace Ipvs.Daemon.Tests;

/// <summary>The repository's docs/ pages, found by walking up from the test program, for tests that hold them to the code.</summary>
internal static class RepoDocs
{
    public static string Read(string page)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", page)))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir.FullName, "docs", page)).ReplaceLineEndings("\n");
    }
}
