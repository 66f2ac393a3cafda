using Ipvs.Netlink.Interop;

namespace Ipvs.Netlink.Protocol;

/// <summary>The decoded payload of an NLMSG_ERROR: errno (positive, 0 = ACK) and the extended-ACK text.</summary>
internal readonly record struct NetlinkError(int Errno, string? KernelMessage, uint EchoedSeq)
{
    public bool IsAck => Errno == 0;

    /// <summary>
    /// Parses struct nlmsgerr and any extended-ACK TLVs. The TLVs follow the echoed request: its 16-byte header
    /// only when NLM_F_CAPPED is set, otherwise the whole (aligned) echoed request.
    /// </summary>
    public static NetlinkError Parse(ushort flags, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4 + LinuxNetlink.NLMSG_HDRLEN)
        {
            throw AttributeReader.Malformed($"NLMSG_ERROR payload of {payload.Length} bytes, at least 20 expected");
        }
        int error = (int)HostOrder.ReadU32(payload);
        // errno values end at 4095 (MAX_ERRNO); anything beyond is not a kernel answer (and -int.MinValue overflows).
        if (error is < -4095 or > 4095)
        {
            throw AttributeReader.Malformed($"NLMSG_ERROR carries error {error}, outside the errno range");
        }
        uint echoedLen = HostOrder.ReadU32(payload[4..]);
        uint echoedSeq = HostOrder.ReadU32(payload[12..]);
        string? text = null;
        if ((flags & LinuxNetlink.NLM_F_ACK_TLVS) != 0)
        {
            // In long: an echoed length near 4 GiB must point past the payload, not wrap to a negative offset.
            long tlvs = 4 + ((flags & LinuxNetlink.NLM_F_CAPPED) != 0 ? LinuxNetlink.NLMSG_HDRLEN : (echoedLen + 3L) & ~3L);
            if (tlvs <= payload.Length)
            {
                var r = new AttributeReader(payload[(int)tlvs..]);
                while (r.MoveNext())
                {
                    if (r.Type == LinuxNetlink.NLMSGERR_ATTR_MSG)
                    {
                        text = r.GetString();
                    }
                }
            }
        }
        // The kernel sends -errno; a positive value would be a kernel bug, but keep its magnitude.
        return new NetlinkError(Math.Abs(error), string.IsNullOrEmpty(text) ? null : text, echoedSeq);
    }
}
