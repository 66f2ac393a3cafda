using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Ipvs.Daemon.Tests.Faults;

/// <summary>
/// The real daemon process (<c>demo</c>: real checks of realservers on loopback) started at a low descriptor limit
/// with <c>prlimit</c> (issue 16, item 1): a limit that cannot hold the checks and the listener is refused at start.
/// </summary>
[Collection(nameof(StarvationCollection))]
public sealed class DescriptorLimitStartTests
{
    [Fact]
    public async Task Start_DescriptorLimitTooLowForChecksAndListener_ExitsNamingTheNumbers()
    {
        using var daemon = Start(200, "--services", "10", "--realservers", "4");

        Assert.True(await daemon.ExitAsync(TimeSpan.FromSeconds(60)), "still running at a limit of 200: " + daemon.Output);
        Assert.Equal(1, daemon.Process.ExitCode);
        Assert.Contains("RLIMIT_NOFILE) is 200", daemon.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP listener up to 64", daemon.Output, StringComparison.Ordinal);
    }

    private static Daemon Start(int descriptors, params string[] args)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo("prlimit") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[$"--nofile={descriptors}:{descriptors}", "--", dotnet, "exec", Path.Combine(AppContext.BaseDirectory, "ipvs-checkd.dll"),
            "demo", "--duration", "5m", "--listen", "127.0.0.1:" + FreePort(), .. args])
        {
            info.ArgumentList.Add(a);
        }
        return new Daemon(info);
    }

    private static string FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class Daemon : IDisposable
    {
        private readonly StringBuilder _output = new();

        public Daemon(ProcessStartInfo info)
        {
            Process = new Process { StartInfo = info };
            Process.OutputDataReceived += (_, e) => Append(e.Data);
            Process.ErrorDataReceived += (_, e) => Append(e.Data);
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public async Task<bool> ExitAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await Process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
            Process.Dispose();
        }
    }
}
