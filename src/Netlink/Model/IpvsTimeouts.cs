namespace Ipvs.Netlink;

/// <summary>Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). 0 in SetTimeouts leaves a value unchanged.</summary>
public sealed record IpvsTimeouts(uint TcpSeconds, uint TcpFinSeconds, uint UdpSeconds);
