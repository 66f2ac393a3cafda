namespace Ipvs.Daemon.Web.Status;

/// <summary>
/// Where the web layer reads the engine's state. Called at scrape/poll time only (never on the check path),
/// so an implementation may build a fresh snapshot on each call.
/// </summary>
public interface IStatusSource
{
    StatusSnapshot Capture();
}
