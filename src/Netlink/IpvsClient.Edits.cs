using System.Net;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink;

public sealed partial class IpvsClient
{
    // One datagram stays well under the default SO_SNDBUF (sendmsg beyond SO_SNDBUF - 32 fails with EMSGSIZE).
    internal const int MaxDatagramBytes = 60 * 1024;
    // Each queued ACK is charged its skb truesize (~1 KiB), far more than its 36 bytes: budget 2 KiB per ACK.
    private const int ReceiveBytesPerAck = 2048;
    private const int MaxInFlightCap = 1024;

    private static readonly Version GueKernel = new(5, 2);
    private static readonly Version GreKernel = new(5, 3);

    private int[]? _batchErrnos;
    private string?[]? _batchMessages;
    private int[]? _batchIndex;

    public void AddService(ServiceConfig service) => Edit(IpvsEdit.AddService(service));

    /// <summary>SET_SERVICE replaces scheduler, flags, persistence and netmask all at once.</summary>
    public void EditService(ServiceConfig service) => Edit(IpvsEdit.EditService(service));

    public void DeleteService(ServiceKey key) => Edit(IpvsEdit.DeleteService(key));

    public void AddDestination(ServiceKey service, DestinationConfig destination) => Edit(IpvsEdit.AddDestination(service, destination));

    /// <summary>SET_DEST replaces forwarding method, weight, thresholds and tunnel settings all at once.</summary>
    public void EditDestination(ServiceKey service, DestinationConfig destination) => Edit(IpvsEdit.EditDestination(service, destination));

    public void DeleteDestination(ServiceKey service, DestinationConfig destination) => Edit(IpvsEdit.DeleteDestination(service, destination));

    public void DeleteDestination(ServiceKey service, IPEndPoint destination) =>
        DeleteDestination(service, new DestinationConfig(destination.Address, (ushort)destination.Port, ForwardMethod.Route, 0));

    /// <summary>
    /// Applies many edits: as many as fit go into one datagram (one sendmsg), each message with its own ACK;
    /// more datagrams follow when needed, so that the ACKs in flight never exceed what the receive queue holds.
    /// <paramref name="results"/>[i] is edit i's own outcome: one failing edit does not hide the others.
    /// Edits run in order. Throws only when the outcome is unknown (timeout, receive queue overrun).
    /// </summary>
    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results)
    {
        if (results.Length < edits.Length)
        {
            throw new ArgumentException("results must have one slot per edit", nameof(results));
        }
        int maxInFlight = Math.Clamp(_connection.ReceiveBufferBytes / ReceiveBytesPerAck, 16, MaxInFlightCap);
        _batchErrnos ??= new int[MaxInFlightCap];
        _batchMessages ??= new string?[MaxInFlightCap];
        _batchIndex ??= new int[MaxInFlightCap];
        bool sawEnoent = false;

        int next = 0;
        while (next < edits.Length)
        {
            NetlinkWriter w = _connection.Writer;
            w.Reset();
            uint firstSeq = 0;
            int inFlight = 0;
            while (next < edits.Length && inFlight < maxInFlight && w.Length < MaxDatagramBytes - 1024)
            {
                string? invalid = Validate(edits[next]);
                if (invalid is not null)
                {
                    results[next] = new IpvsEditResult(Errno.EINVAL, invalid);
                    next++;
                    continue;
                }
                // Sequence numbers of one datagram are consecutive, so an ACK maps back by (seq - firstSeq).
                uint seq = _connection.NextSeq();
                if (inFlight == 0)
                {
                    firstSeq = seq;
                }
                else if (seq != firstSeq + (uint)inFlight)
                {
                    // The counter wrapped past 0: close this datagram, start the next one fresh.
                    break;
                }
                IpvsEncoder.WriteEdit(w, _family.Id, seq, edits[next]);
                _batchIndex[inFlight++] = next++;
            }
            if (inFlight == 0)
            {
                continue;
            }
            _connection.Send();
            _connection.CollectAcks(firstSeq, _batchErrnos.AsSpan(0, inFlight), _batchMessages.AsSpan(0, inFlight));
            for (int k = 0; k < inFlight; k++)
            {
                int i = _batchIndex[k];
                int errno = _batchErrnos[k];
                sawEnoent |= errno == Errno.ENOENT;
                results[i] = errno == 0 ? IpvsEditResult.Ok : IpvsErrors.ToResult(edits[i], errno, _batchMessages[k]);
                _batchMessages[k] = null;
            }
        }

        // ENOENT is also what a stale family id gives: if the id changed, nothing was applied by those; redo them.
        if (sawEnoent && RefreshFamily())
        {
            for (int i = 0; i < edits.Length; i++)
            {
                if (results[i].Errno == Errno.ENOENT)
                {
                    Apply(edits.Slice(i, 1), results.Slice(i, 1));
                }
            }
        }
    }

    private void Edit(in IpvsEdit edit)
    {
        if (Validate(edit) is { } invalid)
        {
            throw new IpvsException(IpvsErrorKind.InvalidArgument, Errno.EINVAL, invalid);
        }
        for (int attempt = 0; ; attempt++)
        {
            NetlinkWriter w = _connection.Writer;
            w.Reset();
            uint seq = _connection.NextSeq();
            IpvsEncoder.WriteEdit(w, _family.Id, seq, edit);
            NetlinkError e = _connection.Request<object?>(seq, null, null);
            if (e.IsAck)
            {
                return;
            }
            if (e.Errno == Errno.ENOENT && attempt == 0 && RefreshFamily())
            {
                continue;
            }
            throw IpvsErrors.ToException(edit, e.Errno, e.KernelMessage);
        }
    }

    /// <summary>What we refuse before sending: missing parts, and tunnel types an older kernel would silently turn into IPIP.</summary>
    private static string? Validate(in IpvsEdit edit)
    {
        switch (edit.Kind)
        {
            case IpvsEditKind.AddService or IpvsEditKind.EditService when edit.Service is null:
                return $"{edit.Kind} of {edit.Key} needs the service's configuration";
            case IpvsEditKind.AddDestination or IpvsEditKind.EditDestination or IpvsEditKind.DeleteDestination when edit.Destination is null:
                return $"{edit.Kind} in {edit.Key} needs the destination";
        }
        if (edit.Key.Address is null && !edit.Key.IsFirewallMark)
        {
            return $"service {edit.Key} has neither an address nor a firewall mark";
        }
        if (edit.Key.Address is { } a && a.AddressFamily != edit.Key.Family)
        {
            return $"service {edit.Key}: the address is not of the service's address family";
        }
        if (edit.Destination is { Forward: ForwardMethod.Tunnel } d)
        {
            Version kernel = Environment.OSVersion.Version;
            if (d.TunnelType == TunnelType.Gue && kernel < GueKernel)
            {
                return $"GUE tunnels need Linux 5.2 or later (this kernel would silently create an IPIP tunnel for {IpvsErrors.Endpoint(d.Address, d.Port)})";
            }
            if ((d.TunnelType == TunnelType.Gre || d.TunnelFlags != TunnelFlags.NoChecksum) && kernel < GreKernel)
            {
                return $"GRE tunnels and tunnel checksum flags need Linux 5.3 or later ({IpvsErrors.Endpoint(d.Address, d.Port)})";
            }
        }
        return null;
    }
}
