using Xunit;
using static Ipvs.Daemon.Tests.Import.ImportRun;

namespace Ipvs.Daemon.Tests.Import;

/// <summary>
/// The files of the kernel-table comparison (vm/compare.sh, which runs them against keepalived and ldirectord in
/// the IPVS VM): their imports pass validate and carry what the comparison relies on.
/// </summary>
public sealed class VmCompareFilesTests
{
    private static string VmFile(string name) => Path.Combine(DataDir, "..", "vm", name);

    [Fact]
    public void Keepalived_CompareFile_ImportsAndValidates()
    {
        var r = Of("keepalived", VmFile("keepalived-compare.conf"));

        Assert.Equal(0, r.Exit);
        Assert.True(r.Validation.Ok, string.Join("\n", r.Validation.Problems));
        Assert.Equal(13, r.Services.Count); // eleven blocks, the group `pair` makes two
        Assert.Equal("udp", Str(r.Service("pair/10.99.0.20:80/udp"), "protocol")); // no protocol: UDP, as keepalived
        Assert.Equal(("2", "1"), (Str(r.Service("10.99.0.7:80"), "quorum"), Str(r.Service("10.99.0.7:80"), "hysteresis")));
        Assert.Equal("10.99.9.9:8080", Str(r.Service("10.99.0.6:80"), "sorry_server"));
        // The multi-checker cases keep both urls and the MISC_CHECK of every real_server.
        Assert.Equal(["http /health", "http /fail/ready", "exec true"], r.Checks("10.99.0.30:80", "10.99.1.1:8080").Select(c => c.Spec.Label));
        Assert.Equal(["http /health", "http /ready", "exec false"], r.Checks("10.99.0.31:80", "10.99.1.2:8080").Select(c => c.Spec.Label));
    }

    [Fact]
    public void Ldirectord_CompareFile_ImportsAndValidates()
    {
        var r = Of("ldirectord", VmFile("ldirectord-compare.cf"));

        Assert.Equal(0, r.Exit);
        Assert.True(r.Validation.Ok, string.Join("\n", r.Validation.Problems));
        Assert.Equal(9, r.Services.Count);
        var https = r.Service("10.99.0.16:8443");
        Assert.Equal("false", EffectiveCheck(https, RealServers(https)[0])["verify_name"]);
        Assert.Equal("quiesce", Str(r.Service("10.99.0.12:8080"), "on_failure"));
    }
}
