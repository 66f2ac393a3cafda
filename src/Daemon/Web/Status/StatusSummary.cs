namespace Ipvs.Daemon.Web.Status;

/// <summary>Counts over the whole table, whatever filter the request used (the page's header).</summary>
/// <param name="Up">Realserver entries whose health is up or falling.</param>
/// <param name="Problems">Realserver entries that are not plainly fine (see <see cref="StatusFilter.IsProblem"/>).</param>
public sealed record StatusSummary(int VirtualServices, int Realservers, int Up, int Problems);
