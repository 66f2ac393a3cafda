using System.Buffers;
using Ipvs.Netlink.Interop;
using Ipvs.Netlink.Ipvs;
using Ipvs.Netlink.Protocol;

namespace Ipvs.Netlink;

/// <summary>
/// A client of the kernel's IPVS table over generic netlink (family "IPVS"), on one socket of its own.
/// <para>
/// Thread-safety: an instance is NOT thread-safe; one caller at a time (it owns one send buffer, one receive
/// buffer and the sequence counter). Use one client per thread, e.g. one for edits and a second for dumps:
/// a socket can run only one dump at a time anyway.
/// </para>
/// <para>
/// The socket, and so every command, acts on the network namespace that was current when <see cref="Open(TimeSpan?)"/>
/// ran. Every wait for the kernel is bounded by <see cref="Timeout"/>; failures are <see cref="IpvsException"/>
/// with a kind, the errno and a sentence for the operator.
/// </para>
/// </summary>
public sealed partial class IpvsClient : IDisposable
{
    private readonly GenlConnection _connection;
    private IpvsFamily _family;

    private IpvsClient(GenlConnection connection, IpvsFamily family)
    {
        _connection = connection;
        _family = family;
    }

    /// <summary>The IPVS version and connection table size, read when the client was opened.</summary>
    public IpvsInfo Info { get; private set; } = new(new Version(0, 0, 0), 0);

    /// <summary>Deadline for each answer from the kernel (default 5 s).</summary>
    public TimeSpan Timeout
    {
        get => _connection.Timeout;
        set => _connection.Timeout = value;
    }

    /// <summary>The generic-netlink family id the kernel gave IPVS (dynamic; re-resolved if it goes stale).</summary>
    public ushort FamilyId => _family.Id;

    /// <summary>
    /// Opens a socket, resolves the IPVS family and reads <see cref="Info"/> (which needs CAP_NET_ADMIN, so a
    /// missing permission shows here). Throws <see cref="IpvsException"/> of kind
    /// <see cref="IpvsErrorKind.NotAvailable"/> or <see cref="IpvsErrorKind.PermissionDenied"/> with a clear message.
    /// The library never loads kernel modules itself.
    /// </summary>
    public static IpvsClient Open(TimeSpan? timeout = null) => Open(GenlConnection.Open(timeout ?? TimeSpan.FromSeconds(5)));

    /// <summary>Over any transport (unit tests use a fake kernel). Takes ownership of the connection.</summary>
    internal static IpvsClient Open(GenlConnection connection)
    {
        try
        {
            IpvsFamily family = FamilyResolver.Resolve(connection, IpVs.IPVS_GENL_NAME)
                ?? throw new IpvsException(IpvsErrorKind.NotAvailable, Errno.ENOENT, IpvsErrors.NotAvailable);
            var client = new IpvsClient(connection, family);
            client.Info = client.GetInfo();
            return client;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// Family ids are allocated cyclically: after the module is reloaded, requests to the old id fail with
    /// ENOENT. Resolves again; true when the id changed (so the failed request deserves one retry).
    /// </summary>
    private bool RefreshFamily()
    {
        IpvsFamily? family = FamilyResolver.Resolve(_connection, IpVs.IPVS_GENL_NAME)
            ?? throw new IpvsException(IpvsErrorKind.NotAvailable, Errno.ENOENT, IpvsErrors.NotAvailable);
        bool changed = family.Value.Id != _family.Id;
        _family = family.Value;
        return changed;
    }

    /// <summary>Starts a request in the connection's writer and returns its seq.</summary>
    private uint Begin(byte cmd, ushort flags)
    {
        NetlinkWriter w = _connection.Writer;
        w.Reset();
        uint seq = _connection.NextSeq();
        IpvsEncoder.Begin(w, _family.Id, cmd, flags, seq);
        return seq;
    }

    /// <summary>Runs a do-command whose request is fully written except EndMessage; retries once on a stale family id.</summary>
    private NetlinkError Execute<TState>(byte cmd, Action<NetlinkWriter>? body, TState state, ReadOnlySpanAction<byte, TState>? onReply)
    {
        for (int attempt = 0; ; attempt++)
        {
            uint seq = Begin(cmd, IpvsEncoder.RequestAck);
            body?.Invoke(_connection.Writer);
            _connection.Writer.EndMessage();
            NetlinkError e = _connection.Request(seq, state, onReply);
            if (e.Errno == Errno.ENOENT && attempt == 0 && RefreshFamily())
            {
                continue;
            }
            return e;
        }
    }
}
