namespace Ipvs.Daemon.Config;

/// <summary>Reads the <c>defaults</c> section: what every virtual service and realserver inherits unless it says otherwise.</summary>
internal static class DefaultsReader
{
    public static Inherited Read(ConfigMap? map, ConfigProblems problems)
    {
        var result = Inherited.BuiltIn.Apply(map, problems);
        map?.RejectUnknown();
        if ((map?.Raw("check") ?? map?.Raw("checks")) is { } node)
        {
            // Judged here too, so that a mistake in a default shows even when no realserver uses it yet.
            CheckSetReader.Read(result.Checks, map!.Field("check"), problems, CheckContext.Alone(node));
        }
        return result;
    }
}
