using System.CommandLine;
using Ipvs.Daemon.Cli;
using Xunit;

namespace Ipvs.Daemon.Tests.Import;

public sealed class ImportVerbTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Import_OutputOption_WritesTheFileWhichValidates()
    {
        var source = _files.Write("ld.cf", "virtual=10.0.0.1:80\n\treal=10.0.1.1:80 gate\n\tservice=http\n");
        var output = Path.Combine(_files.Dir, "out.yaml");
        var (exit, stdout, stderr) = Invoke("import", "ldirectord", source, "-o", output);
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Contains("imported 1 virtual service, 1 realserver;", stderr, StringComparison.Ordinal);
        var (vexit, vout, verr) = Invoke("validate", "--config", output);
        Assert.True(vexit == 0, verr);
        Assert.Contains("ok (1 virtual services, 1 realservers)", vout, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnknownFormat_IsRefusedByTheCommandLine()
    {
        var (exit, _, stderr) = Invoke("import", "nginx", _files.Write("x.conf", ""));
        Assert.NotEqual(0, exit);
        Assert.Contains("nginx", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
