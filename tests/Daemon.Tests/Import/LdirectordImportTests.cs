using Xunit;
using static Ipvs.Daemon.Tests.Import.ImportRun;

namespace Ipvs.Daemon.Tests.Import;

public sealed class LdirectordImportTests
{
    private static readonly ImportRun All = Of("ldirectord", Data("ldirectord-all.cf"));

    [Fact]
    public void Import_EverySettingFile_ExitsZeroAndPassesValidation()
    {
        Assert.Equal(0, All.Exit);
        var v = All.Validation;
        Assert.True(v.Ok, string.Join("\n", v.Problems));
        Assert.Equal(10, v.Config!.Topology.VirtualServices.Count);
        Assert.False(v.Config.Topology.Options.RemoveOnExit); // cleanstop=no
    }

    [Fact]
    public void Import_HttpVirtual_MapsRealsScheduleAndNegotiation()
    {
        var s = All.Service("10.30.0.10:80");
        Assert.Equal(("wlc", "dr", "10m", "255.255.255.0", "remove"), (Str(s, "scheduler"), Str(s, "forward"), Str(s, "persistence"), Str(s, "netmask"), Str(s, "on_failure")));
        // The global fallback: the sorry server, in when no realserver is up.
        Assert.Equal(("127.0.0.1:80", "1"), (Str(s, "sorry_server"), Str(s, "quorum")));
        var rs = RealServers(s);
        Assert.Equal(["10.30.1.1:80", "10.30.1.2:80", "10.30.1.3:80", "10.30.1.4:80"], rs.Select(r => Str(r, "address"))); // 10.30.1.3->10.30.1.4 expanded
        Assert.Equal(["10", "20", "5", "5"], rs.Select(r => Str(r, "weight")));
        var c = EffectiveCheck(s, rs[0]);
        Assert.Equal("http", c["type"]);
        Assert.Equal("/health.html", c["path"]);
        Assert.Equal("OK", c["body_regex"]);
        Assert.Equal("www.example.com", c["host"]);
        Assert.Equal("GET", c["method"]);
        Assert.Equal("8080", c["port"]); // checkport
        Assert.Equal("200-299", c["expect_status"]);
        Assert.Equal(("10s", "8s", "1", "3"), (c["interval"], c["timeout"], c["rise"], c["fall"])); // negotiatetimeout, failurecount
        var own = EffectiveCheck(s, rs[1]); // per-real request/receive
        Assert.Equal(("/alt.html", "ALT"), (own["path"], own["body_regex"]));
    }

    [Fact]
    public void Import_MasqHttpsWithOwnFallback_KeepsPortsAndQuiescent()
    {
        var s = All.Service("10.30.0.11:443");
        Assert.Equal(("nat", "rr", "quiesce", "10.30.9.9:443"), (Str(s, "forward"), Str(s, "scheduler"), Str(s, "on_failure"), Str(s, "sorry_server")));
        var rs = RealServers(s);
        Assert.Equal("10.30.1.5:8443", Str(rs[0], "address"));
        var c = EffectiveCheck(s, rs[0]);
        // ldirectord's LWP verifies the chain, not the name
        Assert.Equal(("https", "/status", "false"), (c["type"], c["path"], c["verify_name"]));
        Assert.False(c.ContainsKey("verify"));
    }

    [Fact]
    public void Import_OtherCheckTypes_MapToTheirKinds()
    {
        Check("10.30.0.12:25", "tcp", "timeout", "2s");
        Assert.Equal("tun", Str(All.Service("10.30.0.12:25"), "forward"));
        var dns = Check("10.30.0.13:53/udp", "dns", "name", "www.example.com");
        Assert.Equal(("A", "10.30.5.5"), (dns["query_type"], dns["expect"]));
        Assert.Equal("true", Str(All.Service("10.30.0.13:53/udp"), "one_packet"));
        var ext = Check("fwmark-7", "exec", "command", "/usr/local/bin/check_fw");
        Assert.Equal("7,0,{rs_address},{rs_port}", ext["args"]);
        Assert.Equal("5s", ext["interval"]);
        Check("10.30.0.14:6000", "icmp", "fall", "3");
        var simple = Check("10.30.0.15:7000", "expect", "type", "expect");
        Assert.Contains("PING", simple["steps"], StringComparison.Ordinal);
        var pop = Check("10.30.0.16:110", "expect", "type", "expect");
        Assert.Contains("USER check", pop["steps"], StringComparison.Ordinal);
        Check("10.30.0.17:9000", "exec", "command", "/bin/false");
        Check("10.30.0.18:3306", "tcp", "type", "tcp");
        Assert.Contains(All.Comments, c => c.Contains("ldirectord-all.cf:88: service=mysql", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_GlobalsWithoutEquivalent_AreCommented()
    {
        Assert.Contains(All.Comments, c => c.Contains("ldirectord-all.cf:6: autoreload=yes", StringComparison.Ordinal));
        Assert.Contains(All.Comments, c => c.Contains("ldirectord-all.cf:10: emailalert", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_Defaults_AreLdirectordsNotOurs()
    {
        using var files = new TempFiles();
        var r = Of("ldirectord", files.Write("ld.cf", "virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n"));
        Assert.Equal(0, r.Exit);
        var s = r.Service("10.0.0.1:80");
        Assert.Equal(("wrr", "quiesce"), (Str(s, "scheduler"), Str(s, "on_failure"))); // scheduler wrr, quiescent yes
        Assert.Equal("remove", Str(Map(r.Root, "kernel")!, "on_exit")); // cleanstop yes
        var c = EffectiveCheck(s, RealServers(s)[0]);
        Assert.Equal(("http", "10s", "1"), (c["type"], c["interval"], c["fall"])); // negotiate, service http from port 80
        Assert.Equal("10s", c["timeout"]); // negotiatetimeout 30 > checkinterval 10: clamped, with a comment
        Assert.Contains(r.Comments, x => x.Contains("longer than checkinterval", StringComparison.Ordinal));
        Assert.True(r.Validation.Ok);
    }

    private static Dictionary<string, string> Check(string service, string type, string key, string value)
    {
        var s = All.Service(service);
        var c = EffectiveCheck(s, RealServers(s)[0]);
        Assert.Equal(type, c["type"]);
        Assert.Equal(value, c[key]);
        return c;
    }
}
