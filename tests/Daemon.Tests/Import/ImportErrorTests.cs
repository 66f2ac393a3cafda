using Xunit;

namespace Ipvs.Daemon.Tests.Import;

public sealed class ImportErrorTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    weight 1\n", 2, "never closed")]
    [InlineData("virtual_server 10.0.0.1 80 {\n}\n}\n", 3, "without a matching")]
    [InlineData("virtual_server 10.0.0.300 80 {\n}\n", 1, "not an IP address")]
    [InlineData("virtual_server www.example.com 80 {\n}\n", 1, "host names are not resolved")]
    [InlineData("virtual_server group missing {\n}\n", 1, "virtual_server_group missing is not defined")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  lb_kind BRIDGE\n}\n", 2, "not one of: NAT, DR, TUN")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  lvs_sched fastest\n}\n", 2, "is not one of")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    weight heavy\n  }\n}\n", 3, "weight")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    HTTP_GET {\n      url {\n        path /\n        status_code 2000\n      }\n    }\n  }\n}\n", 6, "status_code")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    HTTP_GET {\n      url {\n        digest nothex\n      }\n    }\n  }\n}\n", 5, "MD5")]
    [InlineData("include missing.conf\n", 1, "does not exist")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    MISC_CHECK {\n    }\n  }\n}\n", 3, "misc_path")]
    [InlineData("virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    DNS_CHECK {\n      type PTR\n    }\n  }\n}\n", 4, "DNS_CHECK type")]
    public void Keepalived_Unreadable_ExitsOneWithFileAndLine(string text, int line, string message)
    {
        var path = _files.Write("keepalived.conf", text);
        var r = ImportRun.Of("keepalived", path);
        Assert.Equal(1, r.Exit);
        Assert.Equal("", r.Yaml);
        Assert.Contains($"{path}:{line}: ", r.Errors, StringComparison.Ordinal);
        Assert.Contains(message, r.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Keepalived_ErrorInIncludedFile_NamesTheIncludedFile()
    {
        var inc = _files.Write("conf.d/bad.conf", "# comment\nvirtual_server 10.0.0.1 80 {\n  protocol ICMP\n}\n");
        var path = _files.Write("keepalived.conf", "include conf.d/*.conf\n");
        var r = ImportRun.Of("keepalived", path);
        Assert.Equal(1, r.Exit);
        Assert.Contains($"{inc}:3: ", r.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 bridge\n", 2, "forwarding method")]
    [InlineData("virtual=10.0.0.1\n\treal=10.0.1.1:80 gate\n", 1, "a port is needed")]
    [InlineData("\treal=10.0.1.1:80 gate\n", 1, "before any virtual")]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\tchecktype=sometimes\n", 3, "checktype=sometimes")]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\tservice=gopher\n", 3, "service=gopher")]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\tprotocol=fwm\n", 3, "protocol=fwm")]
    [InlineData("virtual=10.0.0.1:80\n\treal=web1.example.com:80 gate\n", 2, "host names are not resolved")]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\tquiescent=maybe\n", 3, "yes or no")]
    [InlineData("virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\trequest=\"/x\n", 3, "not closed")]
    [InlineData("virtual=5\n\treal=10.0.1.1 gate\n\tchecktype=connect\n", 2, "checkport")]
    [InlineData("checkinterval 10\n", 1, "KEY = VALUE")]
    public void Ldirectord_Unreadable_ExitsOneWithFileAndLine(string text, int line, string message)
    {
        var path = _files.Write("ldirectord.cf", text);
        var r = ImportRun.Of("ldirectord", path);
        Assert.Equal(1, r.Exit);
        Assert.Equal("", r.Yaml);
        Assert.Contains($"{path}:{line}: ", r.Errors, StringComparison.Ordinal);
        Assert.Contains(message, r.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFile_ExitsOneNamingIt()
    {
        var path = Path.Combine(_files.Dir, "nope.conf");
        var r = ImportRun.Of("keepalived", path);
        Assert.Equal(1, r.Exit);
        Assert.Contains(path + ":1: cannot read", r.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownFormat_ExitsTwo()
    {
        var r = ImportRun.Of("haproxy", _files.Write("x.cfg", ""));
        Assert.Equal(2, r.Exit);
        Assert.Contains("keepalived, ldirectord", r.Errors, StringComparison.Ordinal);
    }
}
