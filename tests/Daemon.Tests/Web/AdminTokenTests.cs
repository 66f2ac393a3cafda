using Ipvs.Daemon.Web.Admin;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class AdminTokenTests
{
    [Fact]
    public void FromSecret_Token_KeepsOnlyAFixedSizeDigestNeverTheText()
    {
        // The comparison is FixedTimeEquals over SHA-256 digests: equal length whatever is presented, so neither the
        // token's bytes nor its length show in the time a refusal takes. What the object holds is that digest only.
        const string Secret = "a-token-that-must-not-stay-in-memory";
        var token = AdminToken.FromSecret(Secret);
        // The digest and the problem live in one state object (swapped whole on reload): its fields count as the token's.
        static IEnumerable<object?> Fields(object o) => o.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            .Select(f => f.GetValue(o));
        var fields = Fields(token).SelectMany(v => v is not null && v.GetType().DeclaringType == typeof(AdminToken) ? Fields(v) : [v]).ToList();

        Assert.DoesNotContain(fields, v => v is string text && text.Contains(Secret, StringComparison.Ordinal));
        var digest = Assert.IsType<byte[]>(Assert.Single(fields, v => v is byte[]));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret)), digest);
        Assert.True(token.Accepts("Bearer " + Secret));
        Assert.False(token.Accepts("Bearer " + Secret[..^1]));
        Assert.False(token.Accepts("Bearer " + Secret + Secret));
    }

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
