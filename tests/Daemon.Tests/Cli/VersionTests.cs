using System.Text.RegularExpressions;
using Ipvs.Daemon.Cli;
using Ipvs.Daemon.Hosting;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Daemon.Web;
using Xunit;

namespace Ipvs.Daemon.Tests.Cli;

/// <summary>
/// The version stamping of src/Daemon/Ipvs.Daemon.csproj as a plain <c>dotnet build</c> does it (packaging/build.sh
/// passes the package version instead; tests/package/package.sh checks that one): <c>--version</c>, and
/// <c>ipvs_checkd_build_info</c> on /metrics.
/// </summary>
public sealed partial class VersionTests
{
    [Fact]
    public void BuildInfo_PlainBuild_IsVersionFilePlusDevAndTheGitCommit()
    {
        var version = RepoDocs.ReadFile("packaging/VERSION").Trim();

        Assert.Matches(FullSha(), BuildInfo.Commit);
        Assert.Equal($"{version}+dev.g{BuildInfo.Commit[..7]}", BuildInfo.Version);
    }

    [Fact]
    public void VersionOption_PrintsTheStampedVersionAlone()
    {
        var output = new StringWriter();
        var exit = CliApp.Build().Parse(["--version"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, exit);
        Assert.Equal(BuildInfo.Version, output.ToString().Trim());
    }

    [Fact]
    public async Task Scrape_BuildInfo_CarriesVersionAndCommit()
    {
        var source = FakeStatusSource.TwoServices();
        await using var host = await WebHost.StartAsync(source, source, new WebOptions());

        var text = await host.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Contains($"ipvs_checkd_build_info{{version=\"{BuildInfo.Version}\",commit=\"{BuildInfo.Commit}\"}} 1", text);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullSha();
}
