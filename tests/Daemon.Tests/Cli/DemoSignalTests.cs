using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace Ipvs.Daemon.Tests.Cli;

public sealed class DemoSignalTests
{
    [Fact]
    public async Task Demo_Sigterm_StopsAtOnceAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "ipvs-checkd.dll"),
            "demo", "--duration", "10m", "--services", "2", "--realservers", "1"])
        {
            info.ArgumentList.Add(a);
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Until(() => Text(output).Contains("realservers will fail", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromMinutes(2));
            Assert.False(process.HasExited, "the demo ended before it started: " + Text(output));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct);
            }
            await Until(() => process.HasExited, TimeSpan.FromSeconds(60));

            Assert.True(process.HasExited, "still running 60 s after SIGTERM: " + Text(output));
            await process.WaitForExitAsync(ct);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("demo over:", Text(output), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Text(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }

    /// <summary>Polls a condition until it holds or the time is up (a bound, not a timing assertion).</summary>
    private static async Task Until(Func<bool> condition, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < limit)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
