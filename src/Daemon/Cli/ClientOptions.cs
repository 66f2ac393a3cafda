using System.CommandLine;

namespace Ipvs.Daemon.Cli;

/// <summary>How a client verb finds the running daemon: --url, or the config's listen; --token-file, or the config's admin_token_file.</summary>
internal sealed class ClientOptions
{
    public Option<string> Config { get; } = CliOptions.Config(required: false);

    public Option<string?> Url { get; } = new("--url")
    {
        Description = "The daemon's HTTP address (default: from the config's listen, else http://127.0.0.1:9480/).",
        HelpName = "URL",
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "File with the admin bearer token (default: the config's admin_token_file).",
        HelpName = "FILE",
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds the daemon has to answer (default 10).",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => DaemonClient.DefaultTimeout.TotalSeconds,
    };

    public void AddTo(Command command, bool withToken)
    {
        command.Options.Add(Config);
        command.Options.Add(Url);
        command.Options.Add(Timeout);
        if (withToken)
        {
            command.Options.Add(TokenFile);
        }
    }

    public DaemonClient? Client(ParseResult parse, bool needsToken, TextWriter? error = null)
    {
        var seconds = parse.GetValue(Timeout);
        error ??= parse.InvocationConfiguration.Error;
        if (!(seconds > 0 && seconds <= 3600))
        {
            error.WriteLine($"--timeout {seconds}: give seconds between 0 and 3600");
            return null;
        }
        return DaemonClient.Create(parse.GetValue(Url), parse.GetValue(Config)!, parse.GetValue(TokenFile), needsToken, error, TimeSpan.FromSeconds(seconds));
    }
}
