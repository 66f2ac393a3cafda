using System.Diagnostics;
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;

namespace Ipvs.Bench;

/// <summary>
/// The ipvs-farm executable as a child process, so its threads, CPU and garbage collections are its own and not the
/// measured process's. It runs with <c>--lifeline stdin</c> and a pipe on its standard input that this side never
/// writes to: when this process ends in any way (dispose, Ctrl-C, SIGTERM, SIGKILL, a crash) the pipe closes and the
/// farm exits, so it cannot outlive us. Dispose closes the pipe, waits, and kills the farm if it is still there.
/// </summary>
internal sealed class FarmProcess : IDisposable
{
    private readonly Process _process;
    private readonly EventHandler _onExit;
    private int _disposed;

    private FarmProcess(Process process, IPEndPoint control)
    {
        _process = process;
        Control = control;
        Pid = process.Id;
        // SIGTERM (e.g. from `timeout`) runs ProcessExit but not our disposals; the lifeline would end the farm anyway,
        // this only makes it immediate.
        _onExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>The farm's control channel (the port it bound: pass port 0 to let it choose).</summary>
    public IPEndPoint Control { get; }

    public int Pid { get; }

    /// <summary>
    /// Starts the farm and returns once its servers listen and its control channel is up (its banner line).
    /// </summary>
    public static FarmProcess Start(int count, string protocol, IPAddress first, int port, IPEndPoint control, int maxSeconds)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ipvs-farm.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--count", count.ToString(CultureInfo.InvariantCulture), "--protocol", protocol, "--first", first.ToString(),
            "--port", port.ToString(CultureInfo.InvariantCulture), "--control", control.ToString(), "--max-seconds", maxSeconds.ToString(CultureInfo.InvariantCulture),
            "--lifeline", "stdin" })
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException("ipvs-farm did not start");
        try
        {
            // "farm N tcp servers from A:P; control C:P" once every listener is bound.
            var banner = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("ipvs-farm exited before it was ready");
            Console.WriteLine(banner);
            var at = banner.LastIndexOf("control ", StringComparison.Ordinal);
            if (at < 0 || !IPEndPoint.TryParse(banner[(at + "control ".Length)..].Trim(), out var bound))
            {
                throw new InvalidOperationException("ipvs-farm: unexpected banner: " + banner);
            }
            return new FarmProcess(p, bound);
        }
        catch
        {
            p.Kill();
            p.Dispose();
            throw;
        }
    }

    public FarmClient Connect() => new(Control);

    /// <summary>The farm's CPU time so far (utime+stime from /proc), read without asking the farm.</summary>
    public TimeSpan Cpu() => ProcessCpu.Of($"/proc/{Pid}/stat");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        try
        {
            _process.StandardInput.Close(); // the lifeline: the farm sees end of file and stops
        }
        catch (IOException)
        {
        }
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        _process.Dispose();
    }
}
