using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Ipvs;

/// <summary>
/// Maps a kernel errno for an IPVS command to a kind and a sentence in the operator's words
/// (errno meanings per command: docs/ipvs-netlink.md §5.4). The IPVS handlers set no extended-ACK text of
/// their own, so the sentence is ours; any kernel text is appended.
/// </summary>
internal static class IpvsErrors
{
    public const string NotAvailable = "this kernel has no IPVS (ip_vs module not loaded)";
    public const string NoPermission = "CAP_NET_ADMIN is required to manage IPVS";

    public static IpvsEditResult ToResult(in IpvsEdit edit, int errno, string? kernelMessage) =>
        new(errno, Describe(edit, errno, kernelMessage).Message);

    public static IpvsException ToException(in IpvsEdit edit, int errno, string? kernelMessage)
    {
        (IpvsErrorKind kind, string message) = Describe(edit, errno, kernelMessage);
        return new IpvsException(kind, errno, message, kernelMessage);
    }

    /// <summary>Errors of commands that are not edits (get, zero, flush, info, timeouts).</summary>
    public static IpvsException ForCommand(string what, ServiceKey? key, int errno, string? kernelMessage)
    {
        (IpvsErrorKind kind, string text) = errno switch
        {
            Errno.EPERM => (IpvsErrorKind.PermissionDenied, NoPermission),
            Errno.ESRCH when key is not null => (IpvsErrorKind.ServiceNotFound, $"service {key} does not exist"),
            Errno.ENOENT => (IpvsErrorKind.NotAvailable, $"{what} failed: the kernel does not know the IPVS family (ip_vs unloaded?)"),
            Errno.EBUSY => (IpvsErrorKind.Busy, $"{what} failed: a dump is already running on this socket"),
            Errno.EINVAL => (IpvsErrorKind.InvalidArgument, $"{what} failed: invalid argument"),
            _ => (IpvsErrorKind.Kernel, $"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
        return new IpvsException(kind, errno, WithKernelText(text, kernelMessage), kernelMessage);
    }

    public static (IpvsErrorKind Kind, string Message) Describe(in IpvsEdit edit, int errno, string? kernelMessage)
    {
        bool isService = edit.Kind is IpvsEditKind.AddService or IpvsEditKind.EditService or IpvsEditKind.DeleteService;
        ServiceKey key = edit.Key;
        string dest = edit.Destination is { } target ? Endpoint(target.Address, target.Port) : "?";
        (IpvsErrorKind kind, string text) = errno switch
        {
            Errno.EPERM => (IpvsErrorKind.PermissionDenied, NoPermission),
            Errno.ESRCH => (IpvsErrorKind.ServiceNotFound, $"service {key} does not exist"),
            Errno.EEXIST when isService => (IpvsErrorKind.ServiceExists, $"service {key} already exists"),
            Errno.EEXIST => (IpvsErrorKind.DestinationExists, $"destination {dest} already exists in {key}"),
            Errno.ENOENT when isService && edit.Kind != IpvsEditKind.DeleteService =>
                (IpvsErrorKind.SchedulerNotFound, SchedulerMissing(edit.Service)),
            Errno.ENOENT when edit.Kind is IpvsEditKind.EditDestination or IpvsEditKind.DeleteDestination =>
                (IpvsErrorKind.DestinationNotFound, $"destination {dest} does not exist in {key}"),
            Errno.ENOENT => (IpvsErrorKind.NotAvailable, $"{Verb(edit.Kind)} failed: the kernel does not know the IPVS family (ip_vs unloaded?)"),
            Errno.ERANGE when !isService && edit.Destination is { } d =>
                (IpvsErrorKind.OutOfRange, $"weight {d.Weight} or thresholds (lower {d.LowerThreshold}, upper {d.UpperThreshold}) out of range for destination {dest} in {key}"),
            Errno.ERANGE => (IpvsErrorKind.OutOfRange, $"a value is out of range for service {key}"),
            Errno.EINVAL when !isService =>
                (IpvsErrorKind.InvalidArgument, $"the kernel rejected destination {dest} in {key} as invalid (a different address family needs tunnel forwarding; the address must be unicast)"),
            Errno.EINVAL => (IpvsErrorKind.InvalidArgument, $"the kernel rejected service {key} as invalid (check netmask, flags and persistence)"),
            Errno.EAFNOSUPPORT => (IpvsErrorKind.AddressFamilyNotSupported, $"the address family of {key} is not supported by this kernel's IPVS (IPv6 disabled?)"),
            Errno.ENOBUFS => (IpvsErrorKind.ReceiveQueueOverrun, $"{Verb(edit.Kind)} {key}: outcome unknown, the netlink receive queue overflowed"),
            _ => (IpvsErrorKind.Kernel, $"{Verb(edit.Kind)} {(isService ? key.ToString() : $"{dest} in {key}")} failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
        return (kind, WithKernelText(text, kernelMessage));
    }

    /// <summary>"10.0.1.1:80", "[2001:db8::1]:80", as ipvsadm prints destinations.</summary>
    public static string Endpoint(IPAddress address, ushort port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string SchedulerMissing(ServiceConfig? s) => s is null
        ? "scheduler not available in this kernel"
        : string.IsNullOrEmpty(s.PersistenceEngine)
            ? $"scheduler '{s.Scheduler}' is not available in this kernel (no module ip_vs_{s.Scheduler})"
            : $"scheduler '{s.Scheduler}' or persistence engine '{s.PersistenceEngine}' is not available in this kernel";

    private static string Verb(IpvsEditKind kind) => kind switch
    {
        IpvsEditKind.AddService => "adding service",
        IpvsEditKind.EditService => "editing service",
        IpvsEditKind.DeleteService => "deleting service",
        IpvsEditKind.AddDestination => "adding destination",
        IpvsEditKind.EditDestination => "editing destination",
        _ => "deleting destination",
    };

    private static string WithKernelText(string text, string? kernelMessage) =>
        string.IsNullOrEmpty(kernelMessage) ? text : $"{text} (kernel: {kernelMessage})";
}
