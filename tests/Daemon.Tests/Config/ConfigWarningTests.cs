using Ipvs.Daemon.Config;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>What validate, start and reload warn about: a listener off loopback without TLS, secrets in a file every user can read.</summary>
public sealed class ConfigWarningTests : IDisposable
{
    private const string Services = """
        virtual_services:
          - name: web
            address: 10.0.0.1:80
            realservers: [ { address: 10.0.1.1:80 } ]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ipvs-config-warn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("0.0.0.0:9480", true)]
    [InlineData("192.0.2.5:9480", true)]
    [InlineData("\"[::]:9480\"", true)]
    [InlineData("127.0.0.1:9480", false)]
    [InlineData("\"[::1]:9480\"", false)]
    public void Load_ListenAddress_WarnsOnlyOffLoopback(string listen, bool warns)
    {
        var result = ConfigText.Load($"listen: {listen}\n" + Services);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(warns, result.Warnings.Any(w => w.Contains("is not a loopback address", StringComparison.Ordinal) && w.Contains("without TLS", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("check: { type: http, headers: { Authorization: \"Basic c2VjcmV0\" } }")]
    [InlineData("check: { type: expect, steps: [ { expect: \"220\" }, { send: \"AUTH PLAIN c2VjcmV0\\r\\n\" }, { expect: \"235\" } ] }")]
    public void LoadFile_SecretsInAWorldReadableFile_WarnsAndNotOnceMadePrivate(string check)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, Services.Replace("    realservers:", $"    {check}\n    realservers:", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var open = ConfigLoader.LoadFile(path);

        Assert.True(open.Ok, string.Join("\n", open.Problems));
        Assert.Contains($"{path}: the file holds secrets (webhook or check headers, login steps) and is readable by every user: chmod o-r {path}", open.Warnings);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.DoesNotContain(ConfigLoader.LoadFile(path).Warnings, w => w.Contains("holds secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_NoSecretsWorldReadable_DoesNotWarn()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, Services);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.DoesNotContain(ConfigLoader.LoadFile(path).Warnings, w => w.Contains("holds secrets", StringComparison.Ordinal));
    }
}
