using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Ipvs.Daemon.Hosting;

/// <summary>SIGHUP reloads the config, the way operators expect of a daemon (systemctl reload sends it).</summary>
internal sealed class SighupReload(ConfigReloader reloader) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // SIGHUP's default action ends the process
                _ = reloader.ReloadAsync(CancellationToken.None);
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
