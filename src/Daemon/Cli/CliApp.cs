using System.CommandLine;

namespace Ipvs.Daemon.Cli;

/// <summary>The <c>ipvs-checkd</c> command line: one verb per thing an operator does.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ipvs-checkd: health checks for Linux IPVS virtual services, weights written to the kernel over netlink.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(TableVerb.Create());
        foreach (var admin in AdminCommands.Create())
        {
            root.Subcommands.Add(admin);
        }
        root.Subcommands.Add(ReleaseHoldCommand.Create());
        root.Subcommands.Add(ReloadCommand.Create());
        root.Subcommands.Add(Import.ImportVerb.Create());
        VersionAction.Attach(root);
        return root;
    }
}
