using System.Diagnostics;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>
/// Runs a command-line tool (ipvsadm, ip) to completion with a deadline. Under the VM's
/// emulated CPU a single fork+exec costs tens of milliseconds, so deadlines are generous,
/// but they always exist: a hung tool fails its test instead of hanging the suite.
/// </summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static ProcessResult Run(string fileName, IReadOnlyList<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var command = fileName + " " + string.Join(' ', args);
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"could not start '{command}'");

        // Read both pipes concurrently: a tool that fills one pipe while we wait on the other would deadlock.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited before reading all its input (e.g. ipvsadm -R rejecting a line):
            // its exit code and stderr below say why.
        }

        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{command}' did not finish within {limit.TotalSeconds:0} s");
        }

        // The parameterless wait also waits for the redirected streams to reach end of file.
        process.WaitForExit();
        return new ProcessResult(command, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
