using System.CommandLine;

namespace Ipvs.Daemon.Import;

/// <summary>The <c>import</c> verb of the command line, over <see cref="ImportCommand.Run"/>.</summary>
internal static class ImportVerb
{
    public static Command Create()
    {
        var format = new Argument<string>("format") { Description = "The source's format: keepalived (keepalived.conf) or ldirectord (ldirectord.cf)." };
        format.AcceptOnlyFromAmong([.. ImportCommand.Formats]);
        var file = new Argument<string>("file") { Description = "The source config file (keepalived's include files are followed)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML config to this file instead of standard output." };
        var cmd = new Command("import", "Print the ipvs-checkd config equivalent to a keepalived or ldirectord config, with a comment on every setting that has no exact equivalent. Exit 0 when imported; 1 with file:line: message when the source cannot be read or the result does not validate.")
        {
            format,
            file,
            output,
        };
        cmd.SetAction(parse => ImportCommand.Run(parse.GetValue(format)!, parse.GetValue(file)!, parse.GetValue(output), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }
}
