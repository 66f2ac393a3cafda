using System.CommandLine;
using System.CommandLine.Invocation;
using Ipvs.Daemon.Hosting;

namespace Ipvs.Daemon.Cli;

/// <summary>
/// <c>--version</c>: prints the version stamped into this assembly (<see cref="BuildInfo"/>). The library's own action
/// prints the entry assembly's, which is another program when the command line runs inside a test host.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.Version);
        return 0;
    }

    public static void Attach(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new VersionAction();
        }
    }
}
