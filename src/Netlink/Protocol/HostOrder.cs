using System.Runtime.InteropServices;

namespace Ipvs.Netlink.Protocol;

/// <summary>
/// Netlink headers and plain integer attributes are in the host's byte order (not little-endian by rule);
/// ports, IPv4 netmasks and tunnel ports are big-endian and use BinaryPrimitives' *BigEndian instead.
/// </summary>
internal static class HostOrder
{
    public static void WriteU16(Span<byte> destination, ushort value) => MemoryMarshal.Write(destination, in value);

    public static void WriteU32(Span<byte> destination, uint value) => MemoryMarshal.Write(destination, in value);

    public static void WriteU64(Span<byte> destination, ulong value) => MemoryMarshal.Write(destination, in value);

    public static ushort ReadU16(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ushort>(source);

    public static uint ReadU32(ReadOnlySpan<byte> source) => MemoryMarshal.Read<uint>(source);

    public static ulong ReadU64(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ulong>(source);
}
