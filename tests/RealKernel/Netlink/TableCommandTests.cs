using System.Text.Json;
using Ipvs.Daemon.Table;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>The <c>table</c> verb against ipvsadm's own listing of the same kernel table.</summary>
public sealed class TableCommandTests : KernelTest
{
    private const string Table = """
        -A -t 10.98.0.1:80 -s wlc -p 300 -M 255.255.255.0
        -a -t 10.98.0.1:80 -r 10.98.1.1:80 -m -w 3 -x 100 -y 10
        -a -t 10.98.0.1:80 -r 10.98.1.2:80 -g -w 0
        -a -t 10.98.0.1:80 -r 10.98.1.3:80 -i -w 2
        -a -t 10.98.0.1:80 -r 10.98.1.10:80 -g -w 1
        -A -t 10.98.0.3:80 -s rr -p 30 --pe sip
        -A -t 10.98.0.4:80 -s none
        -A --sctp-service 10.98.0.2:5000 -s lc
        -A -u [fd00:98::1]:53 -s sh -b sh-fallback,sh-port -p 60 -M 64
        -a -u [fd00:98::1]:53 -r [fd00:98::2]:53 -m -w 5
        -A -f 7 -s rr -o
        -A -f 8 -6 -s mh -b mh-fallback

        """;

    public TableCommandTests() => Ipvsadm.Run(["-R"], Table).EnsureSuccess();

    [Theory]
    [InlineData(false, false, new string[0])]
    [InlineData(true, false, new[] { "--stats" })]
    [InlineData(false, true, new[] { "--rate" })]
    public void Run_Text_EqualsIpvsadmListing(bool stats, bool rate, string[] ipvsadmOptions)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = TableCommand.Run(stdout, stderr, json: false, stats, rate);

        Assert.Equal(0, code);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(Ipvsadm.RunChecked(["-Ln", .. ipvsadmOptions]), stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Json_OneObjectPerServiceWithEveryListedField()
    {
        var stdout = new StringWriter();

        Assert.Equal(0, TableCommand.Run(stdout, new StringWriter(), json: true, stats: false, rate: false));

        using var doc = JsonDocument.Parse(stdout.ToString());
        JsonElement services = doc.RootElement.GetProperty("services");
        Assert.Equal(7, services.GetArrayLength());
        JsonElement first = services[0];
        Assert.Equal("TCP 10.98.0.1:80", first.GetProperty("service").GetString());
        Assert.Equal("wlc", first.GetProperty("scheduler").GetString());
        Assert.Equal(300, first.GetProperty("persistenceTimeout").GetInt32());
        Assert.Equal("255.255.255.0", first.GetProperty("netmask").GetString());
        Assert.Equal(0, first.GetProperty("stats").GetProperty("connections").GetInt64());
        JsonElement dests = first.GetProperty("destinations");
        Assert.Equal(4, dests.GetArrayLength());
        JsonElement masq = dests[0];
        Assert.Equal("10.98.1.1", masq.GetProperty("address").GetString());
        Assert.Equal("Masq", masq.GetProperty("forward").GetString());
        Assert.Equal(3, masq.GetProperty("weight").GetInt32());
        Assert.Equal(100, masq.GetProperty("upperThreshold").GetInt32());
        Assert.Equal(10, masq.GetProperty("lowerThreshold").GetInt32());
        Assert.Equal(0, masq.GetProperty("activeConnections").GetInt32());
        Assert.Equal(0, masq.GetProperty("inactiveConnections").GetInt32());
        Assert.True(masq.GetProperty("stats").TryGetProperty("outBytes", out _));
        Assert.Equal("ipip", dests[2].GetProperty("tunnelType").GetString());
        JsonElement fwm6 = services[6];
        Assert.Equal(8, fwm6.GetProperty("fwmark").GetInt32());
        Assert.Equal("inet6", fwm6.GetProperty("family").GetString());
        Assert.Equal(["mh-fallback"], fwm6.GetProperty("flags").EnumerateArray().Select(e => e.GetString()));
    }
}
