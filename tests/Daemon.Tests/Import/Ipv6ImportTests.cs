using Xunit;
using static Ipvs.Daemon.Tests.Import.ImportRun;

namespace Ipvs.Daemon.Tests.Import;

public sealed class Ipv6ImportTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Keepalived_Ipv6Service_IsBracketedAndValidates()
    {
        var path = _files.Write("k.conf", """
            virtual_server 2001:db8::1 443 {
                delay_loop 5
                lb_kind DR
                protocol TCP
                real_server 2001:db8::10 443 {
                    TCP_CHECK {
                        connect_timeout 2
                        bindto 2001:db8::2
                    }
                }
            }
            virtual_server fwmark 9 {
                delay_loop 5
                real_server 2001:db8::11 80 {
                    TCP_CHECK {
                        connect_timeout 2
                    }
                }
            }
            """);
        var r = Of("keepalived", path);
        Assert.Equal(0, r.Exit);
        Assert.True(r.Validation.Ok, string.Join("\n", r.Validation.Problems));
        var s = r.Service("[2001:db8::1]:443");
        Assert.Equal("[2001:db8::10]:443", Str(RealServers(s)[0], "address"));
        Assert.Equal("2001:db8::2", EffectiveCheck(s, RealServers(s)[0])["source_address"]);
        Assert.Equal("inet6", Str(r.Service("fwmark-9"), "family")); // every realserver is IPv6
    }

    [Fact]
    public void Ldirectord_Virtual6_IsBracketedAndValidates()
    {
        var path = _files.Write("l.cf", "virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::10]:80 gate 3\n\tservice=http\n\tchecktimeout=2\n");
        var r = Of("ldirectord", path);
        Assert.Equal(0, r.Exit);
        Assert.True(r.Validation.Ok, string.Join("\n", r.Validation.Problems));
        var s = r.Service("[2001:db8::1]:80");
        Assert.Equal(("[2001:db8::10]:80", "3"), (Str(RealServers(s)[0], "address"), Str(RealServers(s)[0], "weight")));
    }
}
