using System.CommandLine;

namespace Ipvs.Daemon.Cli;

/// <summary>Options several verbs share, spelt the same everywhere.</summary>
internal static class CliOptions
{
    public const string DefaultConfigPath = "/etc/ipvs-checkd/config.yaml";

    public static Option<string> Config(bool required) => new("--config", "-c")
    {
        Description = $"The YAML config file (default {DefaultConfigPath}).",
        Required = required,
        DefaultValueFactory = _ => DefaultConfigPath,
    };
}
