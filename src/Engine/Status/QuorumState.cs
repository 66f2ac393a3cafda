namespace Ipvs.Engine;

public enum QuorumState
{
    /// <summary>The virtual service has no quorum configured.</summary>
    NotConfigured,
    Met,
    Lost,
}
