namespace Ipvs.Daemon.Demo;

/// <summary>How a simulated realserver answers right now.</summary>
internal enum SimulatedBehaviour
{
    /// <summary>Accepts and answers HTTP 200 (a TCP check passes on the accept alone).</summary>
    Up,
    /// <summary>The listener is closed: connections are refused (RST), as when the service crashed.</summary>
    Refuse,
    /// <summary>Accepts and answers HTTP 503, as an application that reports itself unhealthy.</summary>
    Unhealthy,
}
