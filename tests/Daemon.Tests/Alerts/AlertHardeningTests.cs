using System.Net;
using System.Net.Sockets;
using Ipvs.Daemon.Alerts;
using Ipvs.Testing;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

/// <summary>Alert hooks under issue 16: a webhook URL's credentials never reach a log; a command gets no capability and a minimal environment.</summary>
public sealed class AlertHardeningTests
{
    private const string Password = "hunter2-pass";
    private const string QueryToken = "q-token-5ecret";

    private static readonly AlertMessage Down = new(AlertKind.Down, "127.0.0.9", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 0,
        [new AlertedService("web", "127.0.0.9:80", false, "refused", DateTimeOffset.UnixEpoch)]);

    [Fact]
    public async Task Webhook_UrlWithUserinfoAndQuery_NameAndFailureCarryNeither()
    {
        var port = ClosedPort();
        var url = new Uri($"http://alerter:{Password}@127.0.0.1:{port}/hook?token={QueryToken}");
        using var client = new HttpClient();
        var hook = new WebhookHook(new AlertWebhookOptions(url, [], TimeSpan.FromSeconds(5)), client);

        var failure = await Assert.ThrowsAnyAsync<HttpRequestException>(() => hook.SendAsync(Down, "{}"u8.ToArray(), TestContext.Current.CancellationToken));

        // What AlertService logs on a failure: the hook's name and the error's message.
        foreach (var logged in (string[])[hook.Name, failure.Message])
        {
            Assert.DoesNotContain(Password, logged, StringComparison.Ordinal);
            Assert.DoesNotContain("alerter", logged, StringComparison.Ordinal);
            Assert.DoesNotContain(QueryToken, logged, StringComparison.Ordinal);
        }
        Assert.Equal($"webhook http://***@127.0.0.1:{port}/***", hook.Name);
    }

    [Fact]
    public void Command_UnderAmbientCapabilities_GetsNoCapabilitiesAndAMinimalEnvironment()
    {
        var dir = Directory.CreateTempSubdirectory("ipvs-checkd-alert-caps-");
        try
        {
            var status = Path.Combine(dir.FullName, "status");
            var env = Path.Combine(dir.FullName, "env");
            Environment.SetEnvironmentVariable("IPVS_TEST_DAEMON_SECRET", "do-not-pass");
            var hook = new CommandHook(new AlertCommandOptions("/bin/sh", ["-c", "cat > /dev/null; cat /proc/self/status > \"$0\"; env > \"$1\"", status, env], TimeSpan.FromSeconds(20))
            {
                Environment = ["EXTRA_FOR_ALERTS=1"],
            });

            // Process.Start forks from the calling thread, which here has the unit's ambient capabilities.
            UnitCapabilities.Run(() =>
            {
                hook.SendAsync(Down, "{}"u8.ToArray(), CancellationToken.None).GetAwaiter().GetResult();
                return 0;
            });

            var caps = UnitCapabilities.Parse(File.ReadAllText(status));
            foreach (var set in (string[])["CapInh", "CapPrm", "CapEff", "CapAmb"])
            {
                Assert.True(caps[set] == 0, $"{set} of the alert command is {caps[set]:x16}");
            }
            var names = File.ReadAllLines(env).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).Except(["PWD", "OLDPWD", "SHLVL", "_"]).Order(StringComparer.Ordinal);
            Assert.Equal(["EXTRA_FOR_ALERTS", "IPVS_CHECKD_ALERT_COUNT", "IPVS_CHECKD_ALERT_HOST", "IPVS_CHECKD_ALERT_KIND", "IPVS_CHECKD_ALERT_SUMMARY", "LANG", "PATH"], names);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
