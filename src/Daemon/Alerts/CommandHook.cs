using System.Diagnostics;
using System.Globalization;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// Runs the configured program (no shell) once per alert, with the alert JSON on stdin and the main fields in
/// IPVS_CHECKD_ALERT_* environment variables. Killed with its process tree at the deadline; output discarded. It gets
/// no capabilities and a minimal environment (<see cref="Ipvs.Checks.ChildProcess"/>): PATH, LANG, those variables and
/// <c>child_environment</c>.
/// </summary>
public sealed class CommandHook(AlertCommandOptions options) : IAlertHook
{
    public string Name { get; } = $"command {options.Command}";

    public TimeSpan Timeout => options.Timeout;

    public async Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var pair in Ipvs.Checks.ChildProcess.BaseEnvironment().Concat(options.Environment))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            start.Environment[pair[..eq]] = pair[(eq + 1)..];
        }
        start.Environment["IPVS_CHECKD_ALERT_KIND"] = message.Kind switch
        {
            AlertKind.Down => "down",
            AlertKind.StillDown => "still_down",
            _ => "recovered",
        };
        start.Environment["IPVS_CHECKD_ALERT_HOST"] = message.Host;
        start.Environment["IPVS_CHECKD_ALERT_COUNT"] = message.Count.ToString(CultureInfo.InvariantCulture);
        start.Environment["IPVS_CHECKD_ALERT_SUMMARY"] = message.Summary;

        using var process = Start(start);
        try
        {
            // Drain output so a chatty script cannot block on a full pipe; nothing of it is kept.
            var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
            var stderr = process.StandardError.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
            await process.StandardInput.BaseStream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{options.Command} exited with code {process.ExitCode}");
            }
        }
        catch (Exception) when (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    // The runtime forks from this thread, which copies its capability sets: none inheritable, none ambient.
    private Process Start(ProcessStartInfo start)
    {
        using (Ipvs.Checks.ChildProcess.WithoutCapabilities())
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {options.Command}");
        }
    }
}
