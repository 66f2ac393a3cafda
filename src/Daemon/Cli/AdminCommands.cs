using System.CommandLine;
using System.Net;

namespace Ipvs.Daemon.Cli;

/// <summary>
/// <c>drain|ready|maintenance VS RS</c> and <c>--host ADDR</c>: set a realserver's (or a whole host's) admin
/// state in the running daemon, through its admin API.
/// </summary>
internal static class AdminCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Create("drain", "Drain: weight 0, so sessions finish and new ones go elsewhere; health checks never undo it.");
        yield return Create("ready", "Ready: back in service, the weight follows health again.");
        yield return Create("maintenance", "Maintenance: out of the service (as on failure); checks keep running and are reported.");
    }

    private static Command Create(string action, string description)
    {
        var vs = new Argument<string?>("VS") { Description = "Virtual service name (as in the config or `status`).", Arity = ArgumentArity.ZeroOrOne };
        var rs = new Argument<string?>("RS") { Description = "Realserver ADDRESS:PORT ([v6]:port for IPv6).", Arity = ArgumentArity.ZeroOrOne };
        var host = new Option<string?>("--host") { Description = "Every realserver on this host address, across all virtual services.", HelpName = "ADDR" };
        var client = new ClientOptions();
        var cmd = new Command(action, description + " Give VS RS, or --host ADDR.") { vs, rs, host };
        client.AddTo(cmd, withToken: true);
        cmd.Validators.Add(result =>
        {
            var hasHost = result.GetValue(host) is not null;
            var hasPair = result.GetValue(vs) is not null && result.GetValue(rs) is not null;
            if (hasHost == hasPair || (!hasHost && (result.GetValue(vs) is null) != (result.GetValue(rs) is null)))
            {
                result.AddError($"give either VS RS or --host ADDR (e.g. `ipvs-checkd {action} web 10.0.1.1:80` or `ipvs-checkd {action} --host 10.0.1.1`)");
            }
        });
        cmd.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string path;
            string what;
            if (parse.GetValue(host) is { } h)
            {
                if (!IPAddress.TryParse(h.Trim('[', ']'), out var address))
                {
                    error.WriteLine($"--host '{h}' is not an IP address");
                    return 1;
                }
                path = $"api/v1/hosts/{Uri.EscapeDataString(address.ToString())}/{action}";
                what = $"{action} host {address}";
            }
            else
            {
                var name = parse.GetValue(vs)!;
                var endpoint = parse.GetValue(rs)!;
                if (!IPEndPoint.TryParse(endpoint, out var ep) || ep.Port == 0)
                {
                    error.WriteLine($"RS '{endpoint}' is not ADDRESS:PORT");
                    return 1;
                }
                path = $"api/v1/virtual-services/{Uri.EscapeDataString(name)}/realservers/{Uri.EscapeDataString(ep.ToString())}/{action}";
                what = $"{action} {name} {ep}";
            }
            using var c = client.Client(parse, needsToken: true);
            return c is null ? 1 : await c.AdminAsync(path, what, output, error, ct).ConfigureAwait(false);
        });
        return cmd;
    }
}
