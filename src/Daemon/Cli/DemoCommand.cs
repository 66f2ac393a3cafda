using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Ipvs.Daemon.Config;
using Ipvs.Daemon.Demo;
using Ipvs.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ipvs.Daemon.Cli;

/// <summary><c>demo</c>: the daemon against a simulated farm on loopback, on any machine, ending by itself.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<TimeSpan>("--duration", "-d")
        {
            Description = "How long the demo runs before it stops by itself: seconds (120) or a duration (2m, 90s).",
            HelpName = "DURATION",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, out var seconds) && seconds > 0)
                {
                    return TimeSpan.FromSeconds(seconds);
                }
                if (ValueParser.TryParseDuration(text, out var d, out _) && d > TimeSpan.Zero)
                {
                    return d;
                }
                result.AddError($"--duration '{text}': write seconds (120) or a duration (2m, 90s)");
                return default;
            },
        };
        var listen = CliOptions.Listen("Where the status page listens (default 127.0.0.1:9480, or a free port if that one is taken).");
        var services = new Option<int>("--services") { Description = $"Simulated virtual services (1..{DemoFarm.MaxServices}).", DefaultValueFactory = _ => 50 };
        var realServers = new Option<int>("--realservers") { Description = $"Realservers per virtual service (1..{DemoFarm.MaxRealServers}).", DefaultValueFactory = _ => 4 };
        services.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > DemoFarm.MaxServices) { r.AddError($"--services must be 1..{DemoFarm.MaxServices}"); } });
        realServers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > DemoFarm.MaxRealServers) { r.AddError($"--realservers must be 1..{DemoFarm.MaxRealServers}"); } });
        var cmd = new Command("demo", "Try ipvs-checkd on any machine: simulated realservers on loopback, the kernel's IPVS table if it has one (else an in-memory table), the status page, and realservers failing and recovering. Stops by itself after --duration.")
        {
            duration, listen, services, realServers,
        };
        cmd.SetAction(async (parse, ct) => await RunAsync(
            parse.GetValue(duration), parse.GetValue(listen), parse.GetValue(services), parse.GetValue(realServers),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false));
        return cmd;
    }

    public static async Task<int> RunAsync(TimeSpan duration, IPEndPoint? listen, int services, int realServers, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var endPoint = listen ?? (PortFree(DemoOptions.DefaultListen) ? DemoOptions.DefaultListen : new IPEndPoint(IPAddress.Loopback, 0));
        DemoSession session;
        try
        {
            session = await DemoSession.StartAsync(
                new DemoOptions(endPoint, services, realServers, TimeSpan.FromSeconds(3)),
                logging => logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning).AddFilter("Ipvs.Engine", LogLevel.Error),
                ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            error.WriteLine($"demo: cannot listen on {endPoint}: {e.Message}");
            return 1;
        }
        catch (SocketException e)
        {
            error.WriteLine($"demo: cannot open a simulated realserver on loopback: {e.Message}");
            return 1;
        }
        catch (Hosting.DescriptorBudgetException e)
        {
            error.WriteLine("demo: " + e.Message);
            return 1;
        }
        await using (session.ConfigureAwait(false))
        {
            output.WriteLine($"ipvs-checkd demo: {services} virtual services x {realServers} realservers simulated on 127.11.0.x");
            output.WriteLine($"table: {session.TableDescription}");
            output.WriteLine($"status page: {session.Url}");
            output.WriteLine($"status API:  {session.Url}api/v1/status    metrics: {session.Url}metrics");
            output.WriteLine($"admin token: {session.AdminToken}   e.g. curl -X POST -H 'Authorization: Bearer {session.AdminToken}' {session.Url}api/v1/hosts/{DemoFarm.HostAddress(0)}/drain");
            output.WriteLine($"realservers will fail and recover every few seconds; the demo stops by itself in {ValueParser.FormatDuration(duration)} (Ctrl+C stops it sooner)");
            output.Flush();
            var printer = new DemoTransitionPrinter(session.App.Services.GetRequiredService<HealthEngine>(), output);
            await using var printing = printer.ConfigureAwait(false);
            // Ctrl+C reaches us through ct; SIGTERM (systemd, kill, a test harness) through the host's lifetime,
            // which stops the host on it: either ends the demo as its duration would.
            var stopping = session.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
            try
            {
                await Task.Delay(duration, ended.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM
            }
        }
        output.WriteLine($"demo over: {session.Chaos?.Events ?? 0} failure/recovery steps simulated");
        return 0;
    }

    private static bool PortFree(IPEndPoint ep)
    {
        try
        {
            using var s = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(ep);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
