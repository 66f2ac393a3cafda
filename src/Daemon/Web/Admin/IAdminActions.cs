using System.Net;
using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>The changes an authenticated operator may make through the API.</summary>
/// <remarks>The <c>who</c> argument is recorded with the admin state ("api" plus the client address).</remarks>
public interface IAdminActions
{
    /// <summary>Sets the admin state of one realserver of one virtual service (by name).</summary>
    AdminResult SetAdminState(string virtualService, IPEndPoint realserver, AdminState state, string who);

    /// <summary>Sets the admin state of every realserver on <paramref name="host"/>, across all virtual services.</summary>
    AdminResult SetHostAdminState(IPAddress host, AdminState state, string who);

    /// <summary>Sets (or with null clears) an operator weight that replaces the configured weight.</summary>
    AdminResult SetWeightOverride(string virtualService, IPEndPoint realserver, int? weight, string who);

    /// <summary>
    /// Releases the mass-failure hold of <paramref name="virtualService"/> (null: of every held service): the failed
    /// realservers it kept in go out. Affected = services released; a service with no hold in force is an error.
    /// </summary>
    AdminResult ReleaseMassFailureHold(string? virtualService, string who);

    /// <summary>Re-reads and applies the config file; a bad file changes nothing and its errors come back.</summary>
    Task<AdminResult> ReloadAsync(CancellationToken cancellationToken);
}
