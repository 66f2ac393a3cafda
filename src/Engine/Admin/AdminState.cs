namespace Ipvs.Engine;

/// <summary>An operator's state for a realserver, separate from its health and persisted across restarts.</summary>
public enum AdminState
{
    /// <summary>In service: its weight follows health.</summary>
    Ready,
    /// <summary>Weight 0: sessions finish, new ones go elsewhere. Health checks never undo it.</summary>
    Drain,
    /// <summary>Out of the service (as on failure: quiesced or removed); checks keep running and are reported.</summary>
    Maintenance,
}
