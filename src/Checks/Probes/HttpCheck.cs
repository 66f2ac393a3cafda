using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// http / https: connect, (handshake), one pre-encoded request, then the response read through one pooled buffer.
/// The verdict comes from the status line alone unless a body match is asked for; then the body (content-length,
/// chunked, or to end of stream) is read up to MaxBodyBytes. Plain status-only checks also run on the probe loop's
/// lean path (<see cref="Start"/>, HttpCheck.Inline.cs); the others take that call through <see cref="RunAsync"/>.
/// </summary>
internal sealed partial class HttpCheck : IInlineCheck, IReadinessHandler
{
    internal const int HeaderLimit = 16 * 1024;
    private static readonly string?[] StatusReasons = new string?[1000];
    private static readonly string HeaderTooLarge = $"response header larger than {HeaderLimit} bytes";
    private readonly HttpCheckSpec _spec;
    private readonly ProbeChannel _channel;
    private readonly byte[] _request;
    private readonly BodyMatcher? _matcher;

    public HttpCheck(HttpCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal HttpCheck(HttpCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        var host = spec.Host ?? HostOf(target.EndPoint, spec.Tls is not null);
        // Closed with RST once the verdict is in, as the TCP check (and HAProxy's checks): a normal close after the
        // server's own leaves the server's side in TIME_WAIT, one per check, and costs both kernels a FIN and an ACK.
        _channel = new ProbeChannel(target, spec.Tls is { } tls ? new TlsSettings(tls, spec.Host) : null, spec.Timeout, loop, resetOnClose: true);
        _matcher = spec.BodyMatch is { } m && spec.Method != HttpCheckMethod.Head ? new BodyMatcher(m, spec.Timeout) : null;
        _request = BuildRequest(spec, host);
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    private static string HostOf(IPEndPoint ep, bool tls)
    {
        var address = SockAddr.Normalize(ep.Address);
        var text = address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return ep.Port == (tls ? 443 : 80) ? text : text + ":" + ep.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static byte[] BuildRequest(HttpCheckSpec spec, string host)
    {
        var sb = new StringBuilder();
        sb.Append(spec.Method == HttpCheckMethod.Head ? "HEAD " : "GET ").Append(spec.Path)
          .Append(spec.Version == HttpCheckVersion.Http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
          .Append("Host: ").Append(host).Append("\r\n")
          .Append("User-Agent: ipvs-checkd\r\nConnection: close\r\n");
        foreach (var h in spec.Headers)
        {
            sb.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(sb.Append("\r\n").ToString());
    }

    /// <summary>
    /// One run. Plain HTTP is one state machine: the connect, the waits and the reads are awaited here directly (the
    /// socket's own wait source, reads that find data complete synchronously), so a run rents one pooled box, not one
    /// per step, and a status-only check reads the status line from the first recv and is done.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var socket = _channel.Socket;
        var start = socket.Timestamp();
        if (_channel.Begin(start) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _channel.CancelOn(cancellationToken);
        byte[]? buffer = null;
        try
        {
            int rc;
            if (_channel.IsTls)
            {
                rc = await _channel.ConnectAsync().ConfigureAwait(false);
            }
            else
            {
                rc = socket.StartConnect();
                if (rc == -LibC.EINPROGRESS)
                {
                    rc = socket.ConnectOutcome(await socket.WaitAsync(LibC.EPOLLOUT).ConfigureAwait(false));
                }
            }
            if (rc >= 0)
            {
                _channel.Phase = Phase.SendingRequest;
                rc = await _channel.WriteAsync(_request).ConfigureAwait(false);
            }
            if (rc < 0)
            {
                return _channel.Failed(rc, start);
            }
            _channel.Phase = Phase.ReadingStatusLine;
            if (!_channel.IsTls)
            {
                // Wait for the reply before renting a buffer: thousands of checks waiting must not hold thousands of buffers.
                rc = await socket.WaitAsync(LibC.EPOLLIN).ConfigureAwait(false);
                if (rc < 0)
                {
                    return _channel.Failed(rc, start);
                }
            }
            buffer = ArrayPool<byte>.Shared.Rent(HeaderLimit);
            var filled = 0;
            while (true)
            {
                var n = await ReadAsync(buffer.AsMemory(filled, HeaderLimit - filled)).ConfigureAwait(false);
                filled += Math.Max(n, 0);
                if (Judge(buffer.AsSpan(0, filled), n, start, out var headerEnd) is { } verdict)
                {
                    return verdict;
                }
                if (headerEnd >= 0)
                {
                    return await ReadBodyAsync(buffer, headerEnd, filled, start).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _channel.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static string StatusReason(int status) =>
        StatusReasons[status] ??= "status " + status.ToString(CultureInfo.InvariantCulture);

    private bool StatusPasses(int status)
    {
        foreach (var range in _spec.ExpectStatus.AsSpan())
        {
            if (range.Contains(status))
            {
                return true;
            }
        }
        return false;
    }

    public void Dispose() => _channel.Dispose();
}
