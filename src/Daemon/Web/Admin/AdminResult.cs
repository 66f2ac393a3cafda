namespace Ipvs.Daemon.Web.Admin;

/// <summary>Outcome of an admin action.</summary>
/// <param name="Affected">How many realservers the action changed or confirmed.</param>
/// <param name="Error">Operator-worded error when nothing was done; null on success.</param>
/// <param name="NotFound">True when the named virtual service, realserver or host does not exist.</param>
public sealed record AdminResult(int Affected, string? Error = null, bool NotFound = false)
{
    public bool Succeeded => Error is null;

    public static AdminResult Missing(string what) => new(0, what, NotFound: true);

    public static AdminResult Failed(string why) => new(0, why);
}
