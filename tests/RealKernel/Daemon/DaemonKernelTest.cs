using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Daemon;

/// <summary>
/// Base of the daemon's end-to-end tests: the real <c>ipvs-checkd run</c> process with a config written here,
/// realservers served by this test program on 127.0.97.x, and three views that must agree — the kernel table
/// (our netlink client, cross-checked once with ipvsadm), <c>/metrics</c> and <c>/api/v1/status</c>.
/// </summary>
public abstract class DaemonKernelTest : IDisposable
{
    protected const string Listen = "127.0.0.1:19480";
    protected const string Token = "e2e-token-0123456789";
    protected static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    protected static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(1);
    protected const int Fall = 2;
    protected const int Rise = 2;

    /// <summary>
    /// How long the three views get to agree after a change. Generous: under the VM's emulated CPU on a busy host
    /// one status request can take seconds (the engine test asserts the reaction times; this one asserts agreement).
    /// </summary>
    protected static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>A .NET web host starting and answering its first request under emulation on a busy machine.</summary>
    protected static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);

    private readonly List<TestRealServer> _servers = [];
    private readonly List<DaemonProcess> _daemons = [];

    protected DaemonKernelTest()
    {
        Ipvsadm.Clear();
        Dir = Directory.CreateTempSubdirectory("ipvs-e2e-").FullName;
        File.WriteAllText(TokenFile, Token + "\n");
        // The daemon refuses a token file its group may write or others may read.
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Kernel = new KernelView();
    }

    protected string Dir { get; }

    protected string ConfigPath => Path.Combine(Dir, "config.yaml");

    protected string TokenFile => Path.Combine(Dir, "token");

    protected string StateDir => Path.Combine(Dir, "state");

    private protected KernelView Kernel { get; }

    protected static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    private protected TestRealServer Server(string address, int port)
    {
        var s = new TestRealServer(new IPEndPoint(IPAddress.Parse(address), port)).Start();
        _servers.Add(s);
        return s;
    }

    /// <summary>The config header every test shares; services follow under <c>virtual_services:</c>.</summary>
    protected string Header(string onExit, string drift = "revert", string checkTimeout = "300ms", int fall = Fall, string? interval = null) => $$"""
        listen: {{Listen}}
        state_dir: {{StateDir}}
        admin_token_file: {{TokenFile}}
        kernel: { reconcile_interval: {{ReconcileInterval.TotalMilliseconds}}ms, drift: {{drift}}, on_exit: {{onExit}} }
        engine: { lag_guard: 2s }
        defaults:
          check: { type: http, path: /, interval: {{interval ?? Interval.TotalMilliseconds + "ms"}}, timeout: {{checkTimeout}}, rise: {{Rise}}, fall: {{fall}} }
        virtual_services:

        """;

    protected void WriteConfig(string yaml) => File.WriteAllText(ConfigPath, yaml);

    protected const string Nobody = "65534";

    /// <summary>setpriv: run as nobody with only the given capabilities (ambient, as systemd's AmbientCapabilities).</summary>
    protected static string[] AsNobody(string caps) =>
        ["setpriv", "--reuid", Nobody, "--regid", Nobody, "--clear-groups", "--inh-caps", caps, "--ambient-caps", caps];

    /// <summary>Lets nobody read the config and the token (nobody's own, mode 0600) and write the state directory.</summary>
    protected void OpenToNobody()
    {
        const UnixFileMode Dir755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode File644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(Dir, Dir755);
        File.SetUnixFileMode(ConfigPath, File644);
        ProcessRunner.Run("chown", [Nobody + ":" + Nobody, TokenFile]).EnsureSuccess();
        Directory.CreateDirectory(StateDir);
        ProcessRunner.Run("chown", [Nobody + ":" + Nobody, StateDir]).EnsureSuccess();
    }

    private protected DaemonProcess StartDaemon(IReadOnlyList<string>? wrapper = null)
    {
        var d = DaemonProcess.Start(ConfigPath, "http://" + Listen, Token, wrapper);
        _daemons.Add(d);
        var t = d.WaitReady(StartDeadline);
        Output?.WriteLine($"daemon answering {t.TotalMilliseconds:0} ms after its start");
        return d;
    }

    /// <summary>A virtual service as the three views name it: config name, kernel key, ipvsadm -S spelling.</summary>
    private protected sealed record Vs(string Name, ServiceKey Key, string Save, string Forward);

    private protected static Vs TcpVs(string name, string address, int port, string forward = "-m") =>
        new(name, ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPEndPoint(IPAddress.Parse(address), port)), $"-t {address}:{port}", forward);

    private protected static Vs MarkVs(string name, uint mark, string forward = "-g") =>
        new(name, ServiceKey.ForFirewallMark(System.Net.Sockets.AddressFamily.InterNetwork, mark), $"-f {mark}", forward);

    private protected readonly record struct Want(Vs Service, IPEndPoint RealServer, int? Weight);

    private protected static Want W(Vs vs, TestRealServer rs, int? weight) => new(vs, rs.EndPoint, weight);

    private protected static Want W(Vs vs, IPEndPoint rs, int? weight) => new(vs, rs, weight);

    /// <summary>
    /// Polls until the kernel, /api/v1/status and /metrics all show every wanted kernel weight (null: not in the
    /// kernel, no weight in the status, no kernel-weight series), then cross-checks the kernel with ipvsadm once.
    /// </summary>
    private protected TimeSpan AssertAgree(DaemonProcess d, TimeSpan deadline, params Want[] wants)
    {
        string last = "";
        var t = Poll.Until(
            () =>
            {
                var kernel = Kernel.Weights();
                using var status = d.Status();
                var metrics = d.Metrics().Where(m => m.Name == "ipvs_checkd_realserver_weight_kernel").ToList();
                var bad = new StringBuilder();
                foreach (var w in wants)
                {
                    int? k = kernel.TryGetValue(KernelView.Key(w.Service.Key, w.RealServer), out var kv) ? kv : null;
                    var s = StatusKernelWeight(status, w.Service.Name, w.RealServer);
                    var m = metrics.Where(x => x["virtual_service"] == w.Service.Name && x["remote_address"] == w.RealServer.Address.ToString()
                        && x["remote_port"] == w.RealServer.Port.ToString(CultureInfo.InvariantCulture)).Select(x => (int?)(int)x.Value).SingleOrDefault();
                    if (k != w.Weight || s != w.Weight || m != w.Weight)
                    {
                        bad.Append(CultureInfo.InvariantCulture, $"{w.Service.Name} {w.RealServer}: want {Show(w.Weight)}, kernel {Show(k)}, status {Show(s)}, metrics {Show(m)}; ");
                    }
                }
                last = bad.ToString();
                return bad.Length == 0;
            },
            deadline, () => last, everyMs: 250);
        var saved = Ipvsadm.SaveLines();
        foreach (var w in wants)
        {
            var prefix = $"-a {w.Service.Save} -r {w.RealServer} ";
            if (w.Weight is { } weight)
            {
                Assert.Contains($"{prefix}{w.Service.Forward} -w {weight}", saved);
            }
            else
            {
                Assert.DoesNotContain(saved, l => l.StartsWith(prefix, StringComparison.Ordinal));
            }
        }
        return t;
    }

    private static string Show(int? w) => w?.ToString(CultureInfo.InvariantCulture) ?? "absent";

    /// <summary>A realserver's row in /api/v1/status (throws if missing).</summary>
    private protected static JsonElement Row(JsonDocument status, string service, IPEndPoint rs) =>
        FindRow(status, service, rs) ?? throw new InvalidOperationException($"{service} {rs} is not in the status");

    private static JsonElement? FindRow(JsonDocument status, string service, IPEndPoint rs)
    {
        foreach (var vs in status.RootElement.GetProperty("virtual_services").EnumerateArray())
        {
            if (vs.GetProperty("name").GetString() != service)
            {
                continue;
            }
            foreach (var r in vs.GetProperty("realservers").EnumerateArray())
            {
                if (r.GetProperty("address").GetString() == rs.Address.ToString() && r.GetProperty("port").GetInt32() == rs.Port)
                {
                    return r;
                }
            }
        }
        return null;
    }

    private static int? StatusKernelWeight(JsonDocument status, string service, IPEndPoint rs) =>
        FindRow(status, service, rs) is { } r && r.GetProperty("weight").GetProperty("kernel") is { ValueKind: JsonValueKind.Number } k
            ? k.GetInt32()
            : null;

    public void Dispose()
    {
        foreach (var d in _daemons)
        {
            if (!d.HasExited)
            {
                Output?.WriteLine("daemon output:\n" + d.OutputText);
            }
            d.Dispose();
        }
        foreach (var s in _servers)
        {
            s.Dispose();
        }
        Kernel.Dispose();
        Ipvsadm.Clear();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }
}
