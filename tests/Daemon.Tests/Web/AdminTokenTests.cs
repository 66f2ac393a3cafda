using Ipvs.Daemon.Web.Admin;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class AdminTokenTests
{
    [Fact]
    public void Accepts_FileWithTrailingNewline_AcceptsTheTrimmedToken()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "abc123\n");
            var token = AdminToken.FromFile(path);

            Assert.True(token.Accepts("Bearer abc123"));
            Assert.True(token.Accepts("bearer abc123"));
            Assert.False(token.Accepts("Bearer abc1234"));
            Assert.False(token.Accepts("Bearer abc12"));
            Assert.False(token.Accepts("Bearer "));
            Assert.False(token.Accepts("abc123"));
            Assert.False(token.Accepts(null));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromFile_EmptyFile_RefusesEverythingAndSaysWhy()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "  \n");
            var token = AdminToken.FromFile(path);

            Assert.False(token.IsConfigured);
            Assert.Contains("is empty", token.Problem);
            Assert.False(token.Accepts("Bearer "));
            Assert.False(token.Accepts("Bearer  "));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromFile_MissingFile_RefusesEverything()
    {
        var token = AdminToken.FromFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}"));

        Assert.False(token.IsConfigured);
        Assert.Contains("cannot be read", token.Problem);
    }

    [Fact]
    public void FromFile_NoPath_RefusesEverything()
    {
        Assert.False(AdminToken.FromFile(null).IsConfigured);
    }
}
