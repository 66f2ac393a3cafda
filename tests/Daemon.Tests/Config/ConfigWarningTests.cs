using System.Diagnostics;
using System.Globalization;
using Ipvs.Daemon.Config;
using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>
/// What validate, start and reload warn about: a listener off loopback without TLS, secrets in a file every user can
/// read, an exec check's user: that this machine cannot switch to.
/// </summary>
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

    private const string ExecUser = """
        defaults:
          check: { type: exec, command: /bin/true, user: USER }
        virtual_services:
          - name: web
            address: 10.0.0.1:80
            realservers: [ { address: 10.0.1.1:80 }, { address: 10.0.1.2:80 } ]
          - name: mail
            address: 10.0.0.2:25
            check: { type: exec, command: /bin/true, user: USER }
            realservers: [ { address: 10.0.1.1:25 } ]
        """;

    [Fact]
    public void Load_ExecUserUnknown_WarnsOnceAtTheFirstKeyAndCountsTheOthers()
    {
        var result = ConfigText.Load(ExecUser.Replace("USER", "no-such-user-here", StringComparison.Ordinal));

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var warning = Assert.Single(result.Warnings, w => w.Contains("user", StringComparison.Ordinal));
        // The defaults' check serves two realservers (one place); the mail service's own check is the other place.
        Assert.Equal("t.yaml:2:44: defaults.check.user: unknown user no-such-user-here; every run of this check will be an error "
            + "(the check could not run), which moves neither rise nor fall (and 1 more place(s) with the same setting)", warning);
    }

    [Fact]
    public void Load_ExecUserTheDaemonMaySwitchTo_DoesNotWarn()
    {
        if (!MaySwitchUsers())
        {
            Assert.Contains(ConfigText.Load(ExecUser.Replace("USER", "nobody", StringComparison.Ordinal)).Warnings, w => w.Contains("lacks CAP_SETUID", StringComparison.Ordinal));
            return;
        }
        Assert.Empty(ConfigText.Load(ExecUser.Replace("USER", "nobody", StringComparison.Ordinal)).Warnings);
        Assert.Empty(ConfigText.Load(ExecUser.Replace("user: USER", "timeout: 1s", StringComparison.Ordinal)).Warnings);
    }

    [Fact]
    public async Task Validate_ExecUserWithoutSetuidCapability_WarnsWithTheKeysPlace()
    {
        var path = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(path, ExecUser.Replace("USER", "nobody", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        // The real validate command in a process that lacks CAP_SETUID/CAP_SETGID: as root (or with them), setpriv takes
        // them out of the bounding set, so even root cannot use them; otherwise this process never had them.
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(MaySwitchUsers() ? "setpriv" : dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[.. MaySwitchUsers() ? ["--bounding-set", "-setuid,-setgid", "--", dotnet] : Array.Empty<string>(),
            "exec", Path.Combine(AppContext.BaseDirectory, "ipvs-checkd.dll"), "validate", "--config", path])
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}{await stdout}");
        var warnings = stderr.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(warnings);
        Assert.StartsWith($"warning: {path}:2:44: defaults.check.user: cannot run as user nobody: the daemon (uid ", line, StringComparison.Ordinal);
        Assert.Contains("lacks CAP_SETUID and CAP_SETGID", line, StringComparison.Ordinal);
        Assert.EndsWith("(and 1 more place(s) with the same setting)", line, StringComparison.Ordinal);
    }

    /// <summary>Read independently of the code under test: CAP_SETUID (7) and CAP_SETGID (6) in CapEff.</summary>
    private static bool MaySwitchUsers()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var caps = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (caps & 0xC0) == 0xC0;
    }
}
