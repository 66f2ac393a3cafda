using System.CommandLine;
using System.Net;
using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Cli;

/// <summary>Options several verbs share, spelt the same everywhere.</summary>
internal static class CliOptions
{
    public const string DefaultConfigPath = "/etc/ipvs-checkd/config.yaml";

    public static Option<string> Config(bool required) => new("--config", "-c")
    {
        Description = "The YAML config file.",
        HelpName = "FILE",
        Required = required,
        DefaultValueFactory = _ => DefaultConfigPath,
    };

    public static Option<IPEndPoint?> Listen(string description) => new("--listen")
    {
        Description = description,
        HelpName = "ADDR:PORT",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (ValueParser.TryParseEndPoint(text, portRequired: true, out var ep, out var error))
            {
                return ep;
            }
            result.AddError("--listen " + error);
            return null;
        },
    };
}
