namespace Ipvs.Daemon.Web.Admin;

/// <summary>Outcome of an admin action.</summary>
/// <param name="Affected">How many realservers the action changed or confirmed.</param>
/// <param name="Error">Operator-worded error when nothing was done (or, with <see cref="NotSaved"/>, why it was not saved); null on success.</param>
/// <param name="NotFound">True when the named virtual service, realserver or host does not exist.</param>
public sealed record AdminResult(int Affected, string? Error = null, bool NotFound = false)
{
    /// <summary>The change is in force but could not be saved to the state file: it is lost at the next restart.</summary>
    public bool NotSaved { get; init; }

    public bool Succeeded => Error is null;

    public static AdminResult Missing(string what) => new(0, what, NotFound: true);

    public static AdminResult Failed(string why) => new(0, why);

    public static AdminResult Unsaved(int affected, string why) =>
        new(affected, $"in force now but not saved, so lost at the next restart: {why}") { NotSaved = true };
}
