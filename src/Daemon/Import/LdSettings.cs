namespace Ipvs.Daemon.Import;

/// <summary>ldirectord's lookup: a virtual section's own value, else the global one.</summary>
internal sealed class LdSettings(IReadOnlyList<LdEntry> own, IReadOnlyList<LdEntry> globals)
{
    public LdEntry? Own(string key) => own.LastOrDefault(e => e.Key == key);

    public LdEntry? Global(string key) => globals.LastOrDefault(e => e.Key == key);

    public LdEntry? Find(string key) => Own(key) ?? Global(key);

    public double? Seconds(string key) => Find(key) is { } e ? ImportValues.Seconds(e.Text, e.Where, key) : null;

    public bool? YesNo(string key) => Find(key) is { } e ? YesNo(e) : null;

    public static bool YesNo(LdEntry e) => e.Text.ToLowerInvariant() switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new ImportException(e.Where, $"{e.Key}: '{e.Text}' is not yes or no"),
    };
}
