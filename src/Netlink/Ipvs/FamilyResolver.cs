using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink.Ipvs;

/// <summary>Looks up a generic-netlink family by name through nlctrl (CTRL_CMD_GETFAMILY).</summary>
internal static class FamilyResolver
{
    /// <summary>Returns the family, or null when the kernel has none by that name (ENOENT: module not loaded).</summary>
    public static IpvsFamily? Resolve(GenlConnection connection, string name)
    {
        NetlinkWriter w = connection.Writer;
        w.Reset();
        uint seq = connection.NextSeq();
        w.BeginMessage(LinuxNetlink.GENL_ID_CTRL, LinuxNetlink.NLM_F_REQUEST | LinuxNetlink.NLM_F_ACK, seq);
        w.WriteGenlHeader(LinuxNetlink.CTRL_CMD_GETFAMILY, 1);
        w.PutString(LinuxNetlink.CTRL_ATTR_FAMILY_NAME, name);
        w.EndMessage();

        var box = new StrongBox<IpvsFamily>();
        NetlinkError e = connection.Request(seq, box, static (payload, b) => b.Value = Parse(payload));
        if (e.Errno == Errno.ENOENT)
        {
            return null;
        }
        if (!e.IsAck)
        {
            throw new IpvsException(IpvsErrorKind.Kernel, e.Errno,
                $"looking up the generic netlink family {name} failed: errno {e.Errno}", e.KernelMessage);
        }
        // Pitfall: an unresolved id of 0 would be treated as a control message and "succeed" silently.
        if (box.Value.Id < LinuxNetlink.NLMSG_MIN_TYPE)
        {
            throw AttributeReader.Malformed($"family {name} resolved to invalid id {box.Value.Id}");
        }
        return box.Value;
    }

    internal static IpvsFamily Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < LinuxNetlink.GENL_HDRLEN)
        {
            throw AttributeReader.Malformed("controller reply shorter than its genl header");
        }
        ushort id = 0;
        uint version = 0, maxAttr = 0;
        var r = new AttributeReader(payload[LinuxNetlink.GENL_HDRLEN..]);
        while (r.MoveNext())
        {
            switch (r.Type)
            {
                case LinuxNetlink.CTRL_ATTR_FAMILY_ID: id = r.GetU16(); break;
                case LinuxNetlink.CTRL_ATTR_VERSION: version = r.GetU32(); break;
                case LinuxNetlink.CTRL_ATTR_MAXATTR: maxAttr = r.GetU32(); break;
            }
        }
        return new IpvsFamily(id, version, maxAttr);
    }
}
