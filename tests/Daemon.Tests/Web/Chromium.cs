using System.Diagnostics;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>
/// Real headless Chromium (Debian's package), installed by tests/browser/ensure-chromium.sh when missing.
/// Each run gets a fresh profile directory and loads only the loopback URL it is given.
/// </summary>
internal static class Chromium
{
    private static readonly Lazy<string> Binary = new(Locate);

    /// <summary>Loads <paramref name="url"/>, lets the page run for <paramref name="virtualTimeMs"/> of virtual time, returns the DOM.</summary>
    public static async Task<string> DumpDomAsync(Uri url, int virtualTimeMs, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("ipvs-checkd-chromium-");
        try
        {
            var start = new ProcessStartInfo(Binary.Value)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                $"--user-data-dir={profile.FullName}", "--dump-dom", $"--virtual-time-budget={virtualTimeMs}", url.ToString(),
            })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within 120 s; stderr: {await stderr}");
            }
            var dom = await stdout;
            if (process.ExitCode != 0 || dom.Length == 0)
            {
                throw new InvalidOperationException($"chromium exited {process.ExitCode}; stderr: {await stderr}");
            }
            return dom;
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; the temp dir is cleaned by the OS later.
            }
        }
    }

    private static string Locate()
    {
        var script = Path.Combine(RepoRoot(), "tests", "browser", "ensure-chromium.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("installing chromium took more than 15 minutes");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.Result.Trim().Split('\n')[^1];
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ipvs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Ipvs.sln) above " + AppContext.BaseDirectory);
    }
}
