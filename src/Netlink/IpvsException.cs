namespace Ipvs.Netlink;

/// <summary>
/// An IPVS operation failed. <see cref="Exception.Message"/> is written for the operator
/// ("service TCP 10.0.0.1:80 does not exist"); <see cref="Errno"/> is the kernel's errno (0 when the failure
/// was not the kernel's answer, e.g. a timeout); <see cref="KernelMessage"/> is the extended-ACK text, if any.
/// </summary>
public sealed class IpvsException : Exception
{
    public IpvsException(IpvsErrorKind kind, int errno, string message, string? kernelMessage = null)
        : base(message)
    {
        Kind = kind;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public IpvsErrorKind Kind { get; }

    public int Errno { get; }

    public string? KernelMessage { get; }
}
