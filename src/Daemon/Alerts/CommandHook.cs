using System.Diagnostics;
using System.Globalization;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// Runs the configured program (no shell) once per alert, with the alert JSON on stdin and the main fields in
/// IPVS_CHECKD_ALERT_* environment variables. Killed with its process tree at the deadline; output discarded.
/// </summary>
public sealed class CommandHook(IReadOnlyList<string> command) : IAlertHook
{
    public string Name => "command";

    public async Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < command.Count; i++)
        {
            start.ArgumentList.Add(command[i]);
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
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
                throw new InvalidOperationException($"{command[0]} exited with code {process.ExitCode}");
            }
        }
        catch (Exception) when (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
