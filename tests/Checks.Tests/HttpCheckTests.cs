using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

public sealed class HttpCheckTests
{
    /// <summary>Every check here ends before its timeout: generous, so a cold or loaded machine cannot turn one into a timeout.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nall is ok\r\n";

    private static async Task<CheckResult> RunAsync(HttpCheckSpec spec, IPEndPoint ep)
    {
        using var check = spec.Create(new CheckTarget(ep));
        return await check.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_Status200_Passes()
    {
        await using var server = ScriptedServer.Reply(Ok);
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous }, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_Ipv6_Passes()
    {
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
        }, address: IPAddress.IPv6Loopback);
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous }, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task RunAsync_Status503_FailsWithStatus()
    {
        await using var server = ScriptedServer.Reply("HTTP/1.0 503 Service Unavailable\r\n\r\n");
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "status 503"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.WrongAnswer, result.Kind);
    }

    [Fact]
    public async Task RunAsync_StatusInConfiguredSet_Passes()
    {
        await using var server = ScriptedServer.Reply("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        var spec = new HttpCheckSpec { Timeout = Generous, ExpectStatus = [new StatusRange(200), new StatusRange(404)] };
        Assert.True((await RunAsync(spec, server.EndPoint)).Passed);
        Assert.Equal("status 404", (await RunAsync(spec with { ExpectStatus = [new StatusRange(200, 299)] }, server.EndPoint)).Reason);
    }

    [Fact]
    public async Task RunAsync_RequestLine_CarriesMethodPathHostAndHeaders()
    {
        string? request = null;
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            var buf = new byte[4096];
            var n = await s.ReadAsync(buf, ct);
            request = Encoding.ASCII.GetString(buf, 0, n);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
        });
        var spec = new HttpCheckSpec
        {
            Timeout = Generous, Method = HttpCheckMethod.Head, Path = "/health?x=1", Host = "www.example.test",
            Version = HttpCheckVersion.Http10, Headers = [new HttpHeader("X-Probe", "yes")],
        };
        Assert.True((await RunAsync(spec, server.EndPoint)).Passed);
        Assert.StartsWith("HEAD /health?x=1 HTTP/1.0\r\n", request);
        Assert.Contains("\r\nHost: www.example.test\r\n", request);
        Assert.Contains("\r\nX-Probe: yes\r\n", request);
        Assert.EndsWith("\r\n\r\n", request);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nall is ok\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nall \r\n7\r\nis ok\r\n\r\n0\r\nX-T: 1\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\nall is ok\r\n")]
    public async Task RunAsync_BodyFramings_SubstringRegexDigestMatch(string response)
    {
        await using var server = ScriptedServer.Reply(response);
        var digest = Convert.ToHexString(MD5.HashData("all is ok\r\n"u8));
        var spec = new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring("is ok") };
        var first = await RunAsync(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (first.Status, first.Reason));
        Assert.True((await RunAsync(spec with { BodyMatch = BodyMatch.Regex("^all\\s+is") }, server.EndPoint)).Passed);
        Assert.True((await RunAsync(spec with { BodyMatch = BodyMatch.Digest(digest) }, server.EndPoint)).Passed);
        var miss = await RunAsync(spec with { BodyMatch = BodyMatch.Regex("ok$x") }, server.EndPoint);
        Assert.Equal((CheckStatus.Fail, "body did not match /ok$x/"), (miss.Status, miss.Reason));
        Assert.Equal(FailureKind.WrongAnswer, miss.Kind);
    }

    [Fact]
    public async Task RunAsync_BodyLongerThanCap_MatchesOnlyWithinCap()
    {
        var body = new string('a', 5000) + "MARK";
        await using var server = ScriptedServer.Reply($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        var spec = new HttpCheckSpec { Timeout = Generous, BodyMatch = BodyMatch.Substring("MARK") };
        Assert.True((await RunAsync(spec, server.EndPoint)).Passed);
        Assert.False((await RunAsync(spec with { MaxBodyBytes = 1000 }, server.EndPoint)).Passed);
    }

    [Fact]
    public async Task RunAsync_TlsWithCaAndSni_Passes()
    {
        await using var server = ScriptedServer.Reply(Ok, Certificates.Leaf("www.example.test"));
        var spec = new HttpCheckSpec
        {
            Timeout = TimeSpan.FromSeconds(5), BodyMatch = BodyMatch.Substring("ok"),
            Tls = new TlsOptions { Sni = "www.example.test", CaCertificate = Certificates.CaFile },
        };
        var result = await RunAsync(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        Assert.Equal("https", spec.Kind);
    }

    [Fact]
    public async Task RunAsync_ClientCertificate_IsPresentedToServer()
    {
        var (cert, key) = Certificates.ClientPemFiles();
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
        }, Certificates.SelfSigned("mtls.test"), requireClientCertificate: true);
        var tls = new TlsOptions { Sni = "mtls.test", Verify = false, ClientCertificate = cert, ClientKey = key };
        var result = await RunAsync(new HttpCheckSpec { Timeout = TimeSpan.FromSeconds(5), Tls = tls }, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        Assert.True(server.SawClientCertificate);
    }

    [Fact]
    public async Task RunAsync_MissingClientCertificateFile_IsError()
    {
        var tls = new TlsOptions { Verify = false, ClientCertificate = Path.Combine(Path.GetTempPath(), "no-such-cert.pem") };
        var result = await RunAsync(new HttpCheckSpec { Timeout = Generous, Tls = tls }, new IPEndPoint(IPAddress.Loopback, Ports.Unused()));
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.StartsWith("client certificate", result.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_VerdictIn_ClosesWithResetSoTheServerKeepsNoTimeWait(bool bodyMatch)
    {
        // After its response the server closes and reads on: a normal close of the client's would show as end of
        // stream (and leave the server's side in TIME_WAIT, one per check); a reset shows as connection reset.
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(async (s, ct) =>
        {
            await ScriptedServer.ReadRequestAsync(s, ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(Ok), ct);
            try
            {
                var n = await s.ReadAsync(new byte[16], ct);
                seen.TrySetResult(n == 0 ? "end of stream" : "data");
            }
            catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset })
            {
                seen.TrySetResult("reset");
            }
        });
        var spec = new HttpCheckSpec { Timeout = Generous, BodyMatch = bodyMatch ? BodyMatch.Substring("all is ok") : null };
        var result = await RunAsync(spec, server.EndPoint);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
        Assert.Equal("reset", await seen.Task.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }
}
