using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>
/// A failing check's reason is shown by the status API, the page and the logs. When the server echoes what the
/// check sent — an SMTP server answering "535 ... AUTH PLAIN &lt;secret&gt;" — the secret must not travel with it.
/// </summary>
public sealed class CredentialEchoTests
{
    private const string Secret = "c2VjcmV0LXBhc3N3b3Jk";

    [Fact]
    public async Task RunAsync_ServerEchoesTheSentCredentials_ReasonMasksThemAndKeepsTheRest()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("220 mail.test ready\r\n"u8.ToArray(), ct);
            using var reader = new StreamReader(s, Encoding.ASCII, false, 256, leaveOpen: true);
            var line = await reader.ReadLineAsync(ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes($"535 rejected {line}\r\n"), ct);
        });
        var spec = new ExpectCheckSpec
        {
            Steps = [ExpectStep.Expect("220"), ExpectStep.Send($"AUTH PLAIN {Secret}\r\n"), ExpectStep.Expect("235")],
            Timeout = TimeSpan.FromSeconds(10), // generous: the reply must come before it on a loaded machine
        };
        using var check = spec.Create(new CheckTarget(server.EndPoint));

        var result = await check.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.StartsWith("connection closed while waiting for \"235\" (got \"535 rejected ***", result.Reason, StringComparison.Ordinal);
        for (var i = 0; i + 4 <= Secret.Length; i++)
        {
            Assert.DoesNotContain(Secret.Substring(i, 4), result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_ServerSaysSomethingElse_ReasonShowsItWhole()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await s.WriteAsync("220 mail.test ready\r\n"u8.ToArray(), ct);
            using var reader = new StreamReader(s, Encoding.ASCII, false, 256, leaveOpen: true);
            _ = await reader.ReadLineAsync(ct);
            await s.WriteAsync("454 4.7.0 temporary authentication failure\r\n"u8.ToArray(), ct);
        });
        var spec = new ExpectCheckSpec
        {
            Steps = [ExpectStep.Expect("220"), ExpectStep.Send($"AUTH PLAIN {Secret}\r\n"), ExpectStep.Expect("235")],
            Timeout = TimeSpan.FromSeconds(10), // generous: the reply must come before it on a loaded machine
        };
        using var check = spec.Create(new CheckTarget(server.EndPoint));

        var result = await check.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal("connection closed while waiting for \"235\" (got \"454 4.7.0 temporary authentication failure\")", result.Reason);
    }
}
