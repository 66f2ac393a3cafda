using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>
/// A real DNS server: Debian's dnsmasq on a loopback port with records of the test's own, installed by this fixture
/// (apt-get, dnsmasq-base) when the machine lacks it. Shared by the DNS tests, stopped at the end.
/// </summary>
public sealed class Dnsmasq : IAsyncLifetime
{
    private Process? _process;

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public async ValueTask InitializeAsync()
    {
        var binary = Find() ?? await InstallAsync();
        var port = FreeUdpAndTcpPort();
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
            $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--user=root", "--group=root", "--pid-file=",
            "--address=/a.test/127.0.0.42", "--host-record=h6.test,::42",
            "--txt-record=t.test,hello checks", "--mx-host=m.test,mail.m.test,10", "--cname=c.test,a.test",
            "--log-facility=-",
        })
        {
            psi.ArgumentList.Add(a);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("dnsmasq did not start");
        // Ready when it answers on TCP.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(EndPoint);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException("dnsmasq exited: " + await _process.StandardError.ReadToEndAsync());
                }
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException("dnsmasq did not listen in 5 s");
    }

    private static string? Find()
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/sbin" })
        {
            var path = Path.Combine(dir, "dnsmasq");
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    private static async Task<string> InstallAsync()
    {
        // A fresh machine has no package lists: when the install finds nothing, update them and try once more.
        var error = await AptGetAsync("install -y --no-install-recommends dnsmasq-base");
        if (Find() is null)
        {
            _ = await AptGetAsync("update -qq");
            error = await AptGetAsync("install -y --no-install-recommends dnsmasq-base");
        }
        return Find() ?? throw new InvalidOperationException("could not install dnsmasq-base: " + error);
    }

    private static async Task<string> AptGetAsync(string arguments)
    {
        var psi = new ProcessStartInfo("apt-get", "-o DPkg::Lock::Timeout=600 " + arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        _ = await output;
        return error;
    }

    private static int FreeUdpAndTcpPort()
    {
        for (var i = 0; i < 20; i++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port");
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
