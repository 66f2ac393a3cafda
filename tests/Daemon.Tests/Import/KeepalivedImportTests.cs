using Xunit;
using static Ipvs.Daemon.Tests.Import.ImportRun;

namespace Ipvs.Daemon.Tests.Import;

public sealed class KeepalivedImportTests
{
    private static readonly ImportRun All = Of("keepalived", Data("keepalived-all.conf"));

    [Fact]
    public void Import_EverySettingFile_ExitsZeroAndPassesValidation()
    {
        Assert.Equal(0, All.Exit);
        var v = All.Validation;
        Assert.True(v.Ok, string.Join("\n", v.Problems));
        Assert.Equal(12, v.Config!.Topology.VirtualServices.Count);
    }

    [Fact]
    public void Import_VirtualServer_MapsServiceSettings()
    {
        var s = All.Service("10.20.0.10:80");
        Assert.Equal("10.20.0.10:80", Str(s, "address"));
        Assert.Equal("tcp", Str(s, "protocol"));
        Assert.Equal("wrr", Str(s, "scheduler"));
        Assert.Equal("nat", Str(s, "forward"));
        Assert.Equal("5m", Str(s, "persistence"));
        Assert.Equal("255.255.255.0", Str(s, "netmask"));
        Assert.Equal("2", Str(s, "quorum"));
        Assert.Equal("1", Str(s, "hysteresis"));
        Assert.Equal("10.20.9.9:8080", Str(s, "sorry_server"));
        Assert.Equal("quiesce", Str(s, "on_failure"));
        var rs = RealServers(s);
        Assert.Equal(["10.20.1.1:80", "10.20.1.2:80"], rs.Select(r => Str(r, "address")));
        Assert.Equal(["10", "20"], rs.Select(r => Str(r, "weight")));
    }

    [Fact]
    public void Import_HttpGet_MapsUrlRetryAndConnectSettings()
    {
        var s = All.Service("10.20.0.10:80");
        var rs = RealServers(s);
        var c1 = EffectiveCheck(s, rs[0]);
        Assert.Equal("http", c1["type"]);
        Assert.Equal("/health", c1["path"]);
        Assert.Equal("200,204-206", c1["expect_status"]);
        Assert.Equal("9b3a0c85a887a256d6939da88aabd8cd", c1["digest"]);
        Assert.Equal("www.example.com", c1["host"]);
        Assert.Equal("1.0", c1["http_version"]);
        Assert.Equal("6s", c1["interval"]);
        Assert.Equal("3s", c1["timeout"]);
        Assert.Equal("1", c1["rise"]);
        Assert.Equal("4", c1["fall"]); // retry 3: down on the 4th failure in a row
        Assert.Equal("2s", c1["fast_interval"]);
        Assert.False(c1.ContainsKey("address"));
        var c2 = EffectiveCheck(s, rs[1]);
        Assert.Equal("10.20.2.2", c2["address"]);
        Assert.Equal("8081", c2["port"]);
        Assert.Equal("10.20.0.5", c2["source_address"]);
        Assert.Equal("99", c2["fwmark"]);
        // Every url is a check of its own (keepalived takes the realserver out when any url fails), with the
        // checker's schedule; nothing is left in a comment.
        var checks = All.Checks("10.20.0.10:80", "10.20.1.1:80");
        Assert.Equal(["/health", "/other"], checks.Select(c => Assert.IsType<Ipvs.Checks.HttpCheckSpec>(c.Spec).Path));
        Assert.All(checks, c => Assert.Equal((TimeSpan.FromSeconds(6), 4), (c.Schedule.Interval, c.Schedule.Fall)));
        Assert.Equal("/health", Assert.IsType<Ipvs.Checks.HttpCheckSpec>(Assert.Single(All.Checks("10.20.0.10:80", "10.20.1.2:80")).Spec).Path);
        Assert.DoesNotContain(All.Comments, c => c.Contains("/other", StringComparison.Ordinal) || c.Contains("not checked", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SslGet_IsHttpsWithoutVerificationAndClampsTimeout()
    {
        var s = All.Service("10.20.0.11:443");
        Assert.Equal("dr", Str(s, "forward"));
        Assert.Equal("lc", Str(s, "scheduler"));
        Assert.Equal("remove", Str(s, "on_failure")); // keepalived removes unless inhibit_on_failure
        var c = EffectiveCheck(s, RealServers(s)[0]);
        Assert.Equal("https", c["type"]);
        Assert.Equal("false", c["verify"]);
        Assert.Equal("^ok", c["body_regex"]);
        Assert.Equal("secure.example.com", c["host"]);
        Assert.Equal("/etc/keepalived/client.pem", c["client_cert"]);
        Assert.False(c.ContainsKey("http_version")); // http_protocol 1.1 is ipvs-checkd's default
        Assert.Equal("10s", c["timeout"]); // connect_timeout 20 > delay_loop 10
        Assert.Contains(All.Comments, x => x.Contains("keepalived-all.conf:96:", StringComparison.Ordinal) && x.Contains("connect_timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SmtpDnsUdpPingChecks_MapToTheirKinds()
    {
        var smtp = All.Service("10.20.0.12:25");
        Assert.Equal("tun", Str(smtp, "forward"));
        Assert.Equal("smtp", EffectiveCheck(smtp, RealServers(smtp)[0])["type"]);
        Assert.Equal("director.example.com", EffectiveCheck(smtp, RealServers(smtp)[0])["helo"]);

        var udp = All.Service("10.20.0.13:53/udp");
        Assert.Equal("udp", Str(udp, "protocol"));
        Assert.Equal("true", Str(udp, "one_packet"));
        var rs = RealServers(udp);
        var dns = EffectiveCheck(udp, rs[0]);
        Assert.Equal(("dns", "A", "www.example.com", "4"), (dns["type"], dns["query_type"], dns["name"], dns["fall"])); // DNS_CHECK's retry default is 3
        var u = EffectiveCheck(udp, rs[1]);
        Assert.Equal(("udp", "00 01 ab 12 0f", "00 01"), (u["type"], u["payload_hex"], u["expect_hex"]));
        var ping = EffectiveCheck(udp, rs[2]);
        Assert.Equal(("icmp", "3"), (ping["type"], ping["fall"]));
    }

    [Fact]
    public void Import_MiscCheckOnFwmark_IsExecWithDynamicWeight()
    {
        var s = All.Service("fwmark-12");
        Assert.Equal("12", Str(s, "fwmark"));
        Assert.Null(Str(s, "protocol"));
        Assert.Equal("sh", Str(s, "scheduler"));
        var rs = RealServers(s);
        Assert.Equal("10.20.1.8", Str(rs[0], "address")); // a fwmark realserver without port
        var misc = EffectiveCheck(s, rs[0]);
        Assert.Equal("exec", misc["type"]);
        Assert.Equal("/usr/local/bin/check_app", misc["command"]);
        Assert.Equal("--host,10.20.1.8,--port,8443", misc["args"]);
        Assert.Equal("true", misc["dynamic_weight"]);
        Assert.Equal("nobody", misc["user"]);
        Assert.Equal("3s", misc["timeout"]);
        Assert.Equal("1", misc["fall"]); // MISC_CHECK's retry default is 0
        var tcp = EffectiveCheck(s, rs[1]);
        Assert.Equal(("tcp", "8443", "2s"), (tcp["type"], tcp["port"], tcp["timeout"]));
    }

    [Fact]
    public void Import_Group_ExpandsRangesCidrAndFwmarkIntoServices()
    {
        var names = All.Services.Select(s => Str(s, "name")!).Where(n => n.StartsWith("web_group/", StringComparison.Ordinal)).ToList();
        // No protocol: keepalived makes the address services UDP, and so does the import, saying so.
        Assert.Equal(
            ["web_group/10.20.0.20:80/udp", "web_group/10.20.0.21:80/udp", "web_group/10.20.0.22:80/udp", "web_group/10.20.1.0:8080/udp", "web_group/10.20.1.1:8080/udp", "web_group/fwmark-7"],
            names);
        Assert.Equal("udp", Str(All.Service("web_group/10.20.0.20:80/udp"), "protocol"));
        Assert.Contains(All.Comments, c => c.Contains("keepalived-all.conf:158: no protocol: keepalived makes this service UDP", StringComparison.Ordinal));
        // DR sends to the service's port: the realserver is written with it, the check keeps keepalived's port.
        var s = All.Service("web_group/10.20.1.0:8080/udp");
        var rs = RealServers(s).Single();
        Assert.Equal("10.20.1.10:8080", Str(rs, "address"));
        Assert.Equal("80", EffectiveCheck(s, rs)["port"]);
    }

    [Fact]
    public void Import_IncludeAndRealServerWithoutChecker_AreImportedWithNote()
    {
        var s = All.Service("10.20.0.14:3306");
        var rs = RealServers(s);
        Assert.Equal(2, rs.Count);
        Assert.Equal("tcp", EffectiveCheck(s, rs[1])["type"]);
        Assert.Contains(All.Comments, c => c.Contains("extra.conf:11:", StringComparison.Ordinal) && c.Contains("without a checker", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_VrrpAndGlobalDefs_AreSkippedWithNotes()
    {
        Assert.Contains(All.Comments, c => c.Contains("VRRP skipped", StringComparison.Ordinal) && c.Contains("vrrp_instance VI_1", StringComparison.Ordinal));
        Assert.Contains(All.Comments, c => c.Contains("keepalived-all.conf:2: global_defs skipped", StringComparison.Ordinal));
        Assert.DoesNotContain("10.20.0.10/", All.Yaml, StringComparison.Ordinal); // VRRP addresses are not services
    }

    [Fact]
    public void Import_ParameterSubstitution_IsApplied()
    {
        Assert.Contains(All.Services, s => Str(s, "address") == "10.20.0.10:80");
    }
}
