using Ipvs.Daemon.Web;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class ListenCheckTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9480", false, false)]
    [InlineData("http://[::1]:9480", false, false)]
    [InlineData("http://localhost:9480", false, false)]
    [InlineData("http://0.0.0.0:9480", false, true)]
    [InlineData("http://[::]:9480", false, true)]
    [InlineData("http://10.0.0.5:9480", false, true)]
    [InlineData("http://10.0.0.5:9480", true, false)]
    [InlineData("https://10.0.0.5:9480", false, false)]
    public void IsPlainHttpOffLoopback_Address_Warns(string address, bool tls, bool expected)
    {
        Assert.Equal(expected, ListenCheck.IsPlainHttpOffLoopback(address, tls));
    }
}
