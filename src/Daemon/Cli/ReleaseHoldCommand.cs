using System.CommandLine;

namespace Ipvs.Daemon.Cli;

/// <summary>
/// <c>release-hold VS</c> or <c>release-hold --all</c>: let through the change a virtual service's mass-failure guard is
/// holding (the operator decided the failure is real), through the running daemon's admin API.
/// </summary>
internal static class ReleaseHoldCommand
{
    public static Command Create()
    {
        var vs = new Argument<string?>("VS") { Description = "Virtual service name (as in the config or `status`).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every virtual service with a hold in force." };
        var client = new ClientOptions();
        var cmd = new Command("release-hold", "Release a mass-failure hold: the failed realservers the guard kept in go out as their checks say. Give VS, or --all.") { vs, all };
        client.AddTo(cmd, withToken: true);
        cmd.Validators.Add(result =>
        {
            if ((result.GetValue(vs) is null) != result.GetValue(all))
            {
                result.AddError("give either VS or --all (e.g. `ipvs-checkd release-hold web`)");
            }
        });
        cmd.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(vs);
            var path = name is null ? "api/v1/release-holds" : $"api/v1/virtual-services/{Uri.EscapeDataString(name)}/release-hold";
            var what = name is null ? "release-hold --all" : $"release-hold {name}";
            using var c = client.Client(parse, needsToken: true);
            return c is null ? 1 : await c.AdminAsync(path, what, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct, unit: "virtual service").ConfigureAwait(false);
        });
        return cmd;
    }
}
