using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>sockaddr_in / sockaddr_in6 bytes for an endpoint, built once per probe.</summary>
internal static class SockAddr
{
    public static byte[] Encode(IPAddress address, int port)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = new byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(b, LibC.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)port); // port is in network byte order
            address.TryWriteBytes(b.AsSpan(4), out _);
            return b;
        }
        var s = new byte[28];
        BinaryPrimitives.WriteUInt16LittleEndian(s, LibC.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), (ushort)port);
        address.TryWriteBytes(s.AsSpan(8), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(24), (uint)address.ScopeId);
        return s;
    }

    /// <summary>An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is probed as IPv4, so a v4 source address binds.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static int Family(IPAddress address) => Normalize(address).AddressFamily == AddressFamily.InterNetwork ? LibC.AF_INET : LibC.AF_INET6;
}
