using System.Net;

namespace Ipvs.Checks.Tests;

public sealed class SpecEqualityTests
{
    private static HttpCheckSpec Http() => new()
    {
        Path = "/health",
        Host = "www.example.test",
        Headers = [new HttpHeader("X-Check", "1"), new HttpHeader("Accept", "*/*")],
        ExpectStatus = [new StatusRange(200), new StatusRange(300, 302)],
        BodyMatch = BodyMatch.Regex("ok"),
        Tls = new TlsOptions { Sni = "www.example.test", Verify = false },
    };

    [Fact]
    public void Equals_SameContentInSeparateLists_AreEqualAndHashAlike()
    {
        var a = Http();
        var b = Http();
        Assert.NotSame(a.Headers, b.Headers);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_HeaderOrderOrValueDiffers_AreNotEqual()
    {
        var a = Http();
        Assert.NotEqual(a, a with { Headers = [new HttpHeader("Accept", "*/*"), new HttpHeader("X-Check", "1")] });
        Assert.NotEqual(a, a with { ExpectStatus = [new StatusRange(200)] });
        Assert.NotEqual(a, a with { Tls = a.Tls! with { Verify = true } });
        Assert.NotEqual(a, a with { Timeout = TimeSpan.FromSeconds(2) });
    }

    [Fact]
    public void Dictionary_SpecsAsKeys_IdenticalSpecAndTargetFindTheSameEntry()
    {
        var target = new CheckTarget(new IPEndPoint(IPAddress.Loopback, 80));
        var seen = new Dictionary<(CheckSpec, CheckTarget), int>
        {
            [(ExpectCheckSpec.Smtp(), target)] = 1,
            [(new ExecCheckSpec { Command = "/bin/true", Arguments = ["{address}", "{port}"] }, target)] = 2,
            [(new DnsCheckSpec { QueryName = "a.test", QueryType = DnsQueryType.A }, target)] = 3,
            [(new UdpCheckSpec { Payload = "ping", ExpectReply = "pong" }, target)] = 4,
        };
        var sameTarget = new CheckTarget(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 80));
        Assert.Equal(1, seen[(ExpectCheckSpec.Smtp(), sameTarget)]);
        Assert.Equal(2, seen[(new ExecCheckSpec { Command = "/bin/true", Arguments = ["{address}", "{port}"] }, sameTarget)]);
        Assert.Equal(3, seen[(new DnsCheckSpec { QueryName = "a.test", QueryType = DnsQueryType.A }, sameTarget)]);
        Assert.Equal(4, seen[(new UdpCheckSpec { Payload = "ping", ExpectReply = "pong" }, sameTarget)]);
        Assert.False(seen.ContainsKey((ExpectCheckSpec.Smtp("other"), sameTarget)));
        Assert.False(seen.ContainsKey((new ExecCheckSpec { Command = "/bin/true", Arguments = ["{port}", "{address}"] }, sameTarget)));
    }

    [Fact]
    public void Equals_DifferentKindsWithSameTimeout_AreNotEqual()
    {
        Assert.NotEqual<CheckSpec>(new TcpCheckSpec(), new IcmpCheckSpec());
        Assert.Equal<CheckSpec>(new TcpCheckSpec(), new TcpCheckSpec());
    }

    [Fact]
    public void ValueList_FromEnumerable_EqualsCollectionExpression()
    {
        ValueList<string> a = ["x", "y"];
        Assert.Equal(a, ValueList.From(new List<string> { "x", "y" }));
        Assert.True(a == ValueList.From(new[] { "x", "y" }));
        Assert.NotEqual(a, ValueList.From(new[] { "x" }));
        Assert.Equal(ValueList<string>.Empty, ValueList.From(Array.Empty<string>()));
    }
}
