using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>
/// The real ipvs-checkd binary (built next to this test program) running <c>run --config FILE</c> as a child
/// process: its output is kept for assertions, its HTTP side is reached on the config's listen address, and it is
/// stopped with a signal (TERM, or KILL for a crash). Disposing kills it if it still runs.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private DaemonProcess(Process process, string baseUrl, string? token)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The daemon's dll, copied next to this test program by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ipvs-checkd.dll");

    /// <summary>
    /// Starts the daemon. <paramref name="wrapper"/> runs it under another program (e.g. setpriv with its options)
    /// when given. Does not wait for readiness: see <see cref="WaitReady"/>.
    /// </summary>
    public static DaemonProcess Start(string configPath, string baseUrl, string? token, IReadOnlyList<string>? wrapper = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // This program runs under the dotnet host; the daemon runs under the same one.
        var dotnet = Environment.ProcessPath ?? "dotnet";
        var args = new List<string>();
        string file;
        if (wrapper is { Count: > 0 })
        {
            file = wrapper[0];
            args.AddRange(wrapper.Skip(1));
            args.Add(dotnet);
        }
        else
        {
            file = dotnet;
        }
        args.AddRange(["exec", Dll, "run", "--config", configPath]);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        var p = Process.Start(info) ?? throw new InvalidOperationException("could not start the daemon");
        var d = new DaemonProcess(p, baseUrl, token);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { d.Output.Enqueue(e.Data); } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { d.Output.Enqueue(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return d;
    }

    public string OutputText => string.Join('\n', Output);

    public int OutputCount(string contains) => Output.Count(l => l.Contains(contains, StringComparison.Ordinal));

    /// <summary>Waits until /api/v1/status answers and says the engine is ready; fails early if the process ends.</summary>
    public TimeSpan WaitReady(TimeSpan deadline)
    {
        string? lastError = null;
        return Poll.Until(
            () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the daemon exited with {_process.ExitCode}:\n{OutputText}");
                }
                try
                {
                    return Status().RootElement.GetProperty("virtual_services").GetArrayLength() >= 0;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    lastError = e.GetType().Name + ": " + e.Message;
                    return false;
                }
            },
            deadline, () => $"the daemon's /api/v1/status to answer (last error: {lastError}); output:\n" + OutputText, everyMs: 100);
    }

    public JsonDocument Status() => JsonDocument.Parse(Get("/api/v1/status"));

    public string Get(string path) => _http.GetStringAsync(path).GetAwaiter().GetResult();

    /// <summary>The admin API path of one realserver's action (drain, ready, maintenance), as docs/api.md names it.</summary>
    public static string AdminPath(string virtualService, string realServer, string action) =>
        string.Join('/', "", "api", "v1", "virtual-services", virtualService, "realservers", realServer, action);

    /// <summary>POSTs to an admin endpoint; returns the status code and body.</summary>
    public (int Code, string Body) Post(string path, string? json = null)
    {
        using var content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var r = _http.PostAsync(path, content).GetAwaiter().GetResult();
        return ((int)r.StatusCode, r.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    /// <summary>/metrics as (name, labels, value) rows.</summary>
    public List<MetricSample> Metrics() => MetricSample.Parse(Get("/metrics"));

    public void Signal(string name) =>
        ProcessRunner.Run("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]).EnsureSuccess();

    /// <summary>SIGKILL: no cleanup at all, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public bool WaitForExit(TimeSpan deadline)
    {
        if (!_process.WaitForExit(deadline))
        {
            return false;
        }
        _process.WaitForExit(); // flushes the redirected output
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _http.Dispose();
    }
}
