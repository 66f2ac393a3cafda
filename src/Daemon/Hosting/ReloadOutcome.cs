namespace Ipvs.Daemon.Hosting;

/// <summary>What a reload did: applied (with a summary of the change) or refused (with every problem; nothing changed).</summary>
internal sealed record ReloadOutcome(bool Applied, string Summary, IReadOnlyList<string> Problems)
{
    public static ReloadOutcome Refused(string summary, IReadOnlyList<string> problems) => new(false, summary, problems);
}
