using Ipvs.Daemon.Cli;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Daemon.Web;
using Xunit;

namespace Ipvs.Daemon.Tests.Cli;

/// <summary><c>status --problems</c> and <c>--service NAME</c> against the web side on loopback.</summary>
public sealed class StatusFilterCliTests : IAsyncLifetime
{
    private readonly FakeStatusSource _source = FakeStatusSource.TwoServices();
    private WebHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await WebHost.StartAsync(_source, _source, new WebOptions());

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.Build().Parse(["status", "--url", _host.BaseAddress.ToString(), .. args])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Status_Problems_PrintsOnlyTheDownRealserverWithItsServicesCounts()
    {
        var (exit, output, error) = await Invoke("--problems");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("mail  TCP 10.0.0.2:25  wlc  live 1/2", output);
        Assert.Contains("10.0.1.3:25", output);
        Assert.DoesNotContain("10.0.1.1:25", output);
        Assert.DoesNotContain("web", output);
    }

    [Fact]
    public async Task Status_Service_PrintsThatServiceOnly()
    {
        var (exit, output, _) = await Invoke("--service", "web");

        Assert.Equal(0, exit);
        Assert.Contains("web  TCP 10.0.0.1:80  wlc  live 2/2", output);
        Assert.Contains("10.0.1.2:80", output);
        Assert.DoesNotContain("mail", output);
    }

    [Fact]
    public async Task Status_UnknownService_ExitsOneAndSaysSo()
    {
        var (exit, output, error) = await Invoke("--service", "nope");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("status: 404", error);
        Assert.Contains("no virtual service", error);
    }
}
