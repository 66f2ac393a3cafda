using Xunit;

namespace Ipvs.Daemon.Tests.Config;

/// <summary>Each kind of bad config, with the exact place and words an operator sees.</summary>
public sealed class ConfigValidationTests
{
    [Fact]
    public void Load_UnknownKey_ReportsItsPositionAndNearestName()
    {
        var problems = ConfigText.Problems("""
            listen: 127.0.0.1:9480
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - { address: 10.0.1.1:80, wieght: 3 }
            """);

        Assert.Equal(["t.yaml:5:33: virtual_services[0].realservers[0].wieght: unknown key (did you mean 'weight'?)"], problems);
    }

    [Fact]
    public void Load_UnknownTopLevelAndCheckKey_ReportsBoth()
    {
        var problems = ConfigText.Problems("""
            lisen: 127.0.0.1:9480
            defaults:
              check: { type: tcp, path: /x }
            """);

        Assert.Equal(2, problems.Count);
        Assert.Equal("t.yaml:1:1: lisen: unknown key (did you mean 'listen'?)", problems[0]);
        Assert.StartsWith("t.yaml:3:23: defaults.check.path: unknown key; a tcp check takes: interval, timeout,", problems[1]);
    }

    [Fact]
    public void Load_WrongTypesAndRanges_ReportsEach()
    {
        var problems = ConfigText.Problems("""
            listen: 127.0.0.1:99999
            kernel: { reconcile_interval: 5, drift: rever, on_exit: maybe }
            defaults:
              check: { rise: 0, fall: many, interval: 2x }
            virtual_services:
              - address: 10.0.0.1:80
                quorum: -1
                realservers:
                  - { address: 10.0.1.1:80, weight: 70000 }
            """);

        Assert.Equal(
        [
            "t.yaml:1:9: listen: '127.0.0.1:99999': port must be 1..65535",
            "t.yaml:2:31: kernel.reconcile_interval: '5' needs a unit (write e.g. 5s or 5ms)",
            "t.yaml:2:41: kernel.drift: 'rever' is not one of: ignore, revert, adopt",
            "t.yaml:2:57: kernel.on_exit: 'maybe' is not one of: keep, remove",
            "t.yaml:4:18: defaults.check.rise: 0 is out of range 1..100",
            "t.yaml:4:27: defaults.check.fall: 'many' is not a whole number",
            "t.yaml:4:43: defaults.check.interval: '2x': unknown unit 'x' (use ms, s, m, h)",
            "t.yaml:7:13: virtual_services[0].quorum: -1 is out of range 0..2147483647",
            "t.yaml:9:41: virtual_services[0].realservers[0].weight: 70000 is out of range 0..65535",
        ], problems);
    }

    [Fact]
    public void Load_EngineLoops_OutOfRangeOrNotANumber_ReportsItsPosition()
    {
        Assert.Equal(["t.yaml:1:18: engine.loops: 0 is out of range 1..256"], ConfigText.Problems("engine: { loops: 0 }\n"));
        Assert.Equal(["t.yaml:1:18: engine.loops: 'all' is not a whole number"], ConfigText.Problems("engine: { loops: all }\n"));
    }

    [Fact]
    public void Load_EngineLoops_GivenOrDefault_MapsToProbeLoops()
    {
        Assert.Equal(3, ConfigText.Load("engine: { loops: 3 }\n").Config!.ProbeLoops);
        Assert.Equal(0, ConfigText.Load("engine: { max_in_flight: 10 }\n").Config!.ProbeLoops);
    }

    [Fact]
    public void Load_DuplicateServicesAndRealservers_ReportsSecondWithFirstLine()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - name: web
                address: 10.0.0.1:80
                realservers:
                  - { address: 10.0.1.1:80 }
                  - { address: 10.0.1.1:80 }
              - name: web
                address: 10.0.0.1:80
            """);

        Assert.Equal(
        [
            "t.yaml:6:20: virtual_services[0].realservers[1].address: duplicate realserver 10.0.1.1:80 in this virtual service (first at line 5)",
            "t.yaml:7:11: virtual_services[1].name: duplicate virtual service name 'web' (first at line 2)",
            "t.yaml:8:14: virtual_services[1].address: duplicate virtual service TCP 10.0.0.1:80 (first at line 3)",
        ], problems);
    }

    [Fact]
    public void Load_FwmarkWithAddress_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                fwmark: 12
            """);

        Assert.Equal(["t.yaml:3:13: virtual_services[0].fwmark: a virtual service has either an address:port or a fwmark, not both (a fwmark service matches packets by mark, any address and port)"], problems);
    }

    [Fact]
    public void Load_FwmarkWithProtocol_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - fwmark: 12
                protocol: udp
            """);

        Assert.Equal(["t.yaml:3:15: virtual_services[0].protocol: a fwmark service matches by mark, not by protocol: remove protocol"], problems);
    }

    [Fact]
    public void Load_UdpServiceWithHttpCheck_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:53
                protocol: udp
                check: { type: http }
                realservers: [ { address: 10.0.1.1:53 } ]
            """);

        Assert.Equal(["t.yaml:4:20: virtual_services[0].check.type: the http check speaks TCP but this is a udp service: set check.port to a TCP port, or use a udp/dns check"], problems);
    }

    [Fact]
    public void Load_UdpServiceWithDefaultCheck_ReportsAtTheRealserver()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:53
                protocol: udp
                realservers:
                  - { address: 10.0.1.1:53 }
            """);

        Assert.Equal(["t.yaml:5:9: virtual_services[0].realservers[0].check.type: the tcp check speaks TCP but this is a udp service: set check.port to a TCP port, or use a udp/dns check"], problems);
    }

    [Fact]
    public void Load_SorryServerOtherFamily_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                sorry_server: "[2001:db8::9]:80"
            """);

        Assert.Equal(["t.yaml:3:19: virtual_services[0].sorry_server: sorry server 2001:db8::9 is not of the service's address family (IPv4)"], problems);
    }

    [Fact]
    public void Load_RealserverOtherFamilyWithoutTunnel_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - { address: "[2001:db8::1]:80" }
                  - { address: "[2001:db8::2]:80", forward: tun }
            """);

        Assert.Equal(["t.yaml:4:20: virtual_services[0].realservers[0].address: realserver 2001:db8::1 is IPv6 but the service is IPv4; mixed families work only with forward: tun"], problems);
    }

    [Fact]
    public void Load_DirectRoutingOnOtherPort_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                forward: dr
                realservers:
                  - { address: 10.0.1.1:8080 }
            """);

        Assert.Equal(["t.yaml:5:20: virtual_services[0].realservers[0].address: with forward: dr packets reach the realserver on the service's port 80, not 8080: write port 80 (to check another port, use check.port)"], problems);
    }

    [Fact]
    public void Load_TimeoutLongerThanInterval_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                check: { interval: 1s, timeout: 2s }
                realservers: [ { address: 10.0.1.1:80 } ]
            """);

        Assert.Equal(["t.yaml:3:37: virtual_services[0].check.timeout: timeout 2s is longer than the interval 1s: checks would overlap"], problems);
    }

    [Fact]
    public void Load_UnknownCheckTypeAndSchedulerAndBadAddress_ReportsEach()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.300:80
                scheduler: wrrr
                check: { type: htp }
                realservers: [ { address: 10.0.1.1 } ]
            """);

        Assert.Equal(
        [
            "t.yaml:2:14: virtual_services[0].address: '10.0.0.300' is not an IP address",
            "t.yaml:3:16: virtual_services[0].scheduler: 'wrrr' is not a scheduler (one of: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)",
            "t.yaml:4:20: virtual_services[0].check.type: 'htp' is not a check type (one of: tcp, http, https, expect, smtp, dns, udp, icmp, exec, agent)",
            "t.yaml:5:31: virtual_services[0].realservers[0].address: '10.0.1.1': a port is needed (ADDRESS:PORT)",
        ], problems);
    }

    [Fact]
    public void Load_PersistenceOptionsWithoutPersistence_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                netmask: 24
                hysteresis: 2
            """);

        Assert.Equal(
        [
            "t.yaml:3:14: virtual_services[0].netmask: netmask groups clients for persistence, which is off: set persistence or remove netmask",
            "t.yaml:4:17: virtual_services[0].hysteresis: hysteresis applies to a quorum, which is off: set quorum or remove hysteresis",
        ], problems);
    }

    [Fact]
    public void Load_BadCheckOptions_ReportsEach()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - address: 10.0.0.1:80
                realservers:
                  - { address: 10.0.1.1:80, check: { type: http, expect_status: [200, "600"], body_regex: "(" } }
                  - { address: 10.0.1.2:80, check: { type: expect, steps: [ { sned: x } ] } }
                  - { address: 10.0.1.3:80, check: { type: exec } }
            """);

        Assert.Equal(4, problems.Count);
        Assert.Equal("t.yaml:4:75: virtual_services[0].realservers[0].check.expect_status: '600' is not a status code or range (100..599, e.g. 200 or 200-299)", problems[0]);
        Assert.StartsWith("t.yaml:4:95: virtual_services[0].realservers[0].check.body_regex: not a valid regular expression", problems[1]);
        Assert.Equal("t.yaml:5:67: virtual_services[0].realservers[1].check.steps[0].sned: unknown step (send, send_hex, expect, expect_hex, expect_regex)", problems[2]);
        Assert.Equal("t.yaml:6:48: virtual_services[0].realservers[2].check.command: an exec check needs a command", problems[3]);
    }

    [Fact]
    public void Load_FwmarkRealserverWithoutPortAndTcpCheck_IsRefused()
    {
        var problems = ConfigText.Problems("""
            virtual_services:
              - fwmark: 3
                realservers: [ { address: 10.0.1.1 } ]
            """);

        Assert.Equal(["t.yaml:3:20: virtual_services[0].realservers[0].check.port: the tcp check needs a port: the realserver 10.0.1.1:0 has none (fwmark service); set check.port"], problems);
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsPosition()
    {
        var problems = ConfigText.Problems("""
            listen: 127.0.0.1:9480
            virtual_services:
              - address: [10.0.0.1:80
            """);

        var p = Assert.Single(problems);
        Assert.StartsWith("t.yaml:4:", p);
        Assert.Contains("(yaml)", p);
    }

    [Fact]
    public void Load_DuplicateYamlKey_IsRefused()
    {
        var problems = ConfigText.Problems("""
            listen: 127.0.0.1:9480
            listen: 127.0.0.1:9481
            """);

        var p = Assert.Single(problems);
        Assert.StartsWith("t.yaml:2:1: (yaml): ", p);
        Assert.Contains("uplicate", p);
    }

    [Fact]
    public void Load_NotAMapping_IsRefused()
    {
        Assert.Equal(["t.yaml:1:1: (file): the config must be a mapping (listen:, virtual_services:, ...)"], ConfigText.Problems("- a\n- b\n").Take(1));
        Assert.Equal(["t.yaml:1:1: (file): the file is empty"], ConfigText.Problems(""));
    }
}
