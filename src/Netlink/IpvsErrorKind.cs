namespace Ipvs.Netlink;

/// <summary>What went wrong, in the operator's terms. The kernel's errno is kept beside it.</summary>
public enum IpvsErrorKind
{
    /// <summary>The kernel has no IPVS (ip_vs not loaded) or no generic netlink.</summary>
    NotAvailable,
    /// <summary>CAP_NET_ADMIN (in the initial user namespace) is missing.</summary>
    PermissionDenied,
    ServiceNotFound,
    ServiceExists,
    DestinationNotFound,
    DestinationExists,
    /// <summary>The scheduler or persistence engine module could not be found.</summary>
    SchedulerNotFound,
    InvalidArgument,
    OutOfRange,
    AddressFamilyNotSupported,
    /// <summary>The kernel did not answer before the deadline.</summary>
    Timeout,
    /// <summary>The receive queue overflowed (ENOBUFS): the outcome of requests in flight is unknown; re-read the table.</summary>
    ReceiveQueueOverrun,
    /// <summary>A reply did not parse: lengths out of bounds, attributes too short.</summary>
    MalformedReply,
    /// <summary>A reply was larger than the receive buffer and lost its tail.</summary>
    Truncated,
    /// <summary>The kernel flagged the dump as inconsistent (NLM_F_DUMP_INTR); dump again.</summary>
    DumpInterrupted,
    /// <summary>A dump is already running on this socket (EBUSY).</summary>
    Busy,
    /// <summary>A socket call failed.</summary>
    SocketError,
    /// <summary>Any other kernel errno.</summary>
    Kernel,
}
