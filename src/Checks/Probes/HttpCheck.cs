using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// http / https: connect, (handshake), one pre-encoded request, then the response read through one pooled buffer.
/// The verdict comes from the status line alone unless a body match is asked for; then the body (content-length,
/// chunked, or to end of stream) is read up to MaxBodyBytes.
/// </summary>
internal sealed partial class HttpCheck : IHealthCheck
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
        _channel = new ProbeChannel(target, spec.Tls is { } tls ? new TlsSettings(tls, spec.Host) : null, spec.Timeout, loop);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        if (_channel.Begin(start) is { } notStarted)
        {
            return notStarted;
        }
        using var reg = _channel.CancelOn(cancellationToken);
        try
        {
            var rc = await _channel.ConnectAsync().ConfigureAwait(false);
            if (rc >= 0)
            {
                _channel.Phase = Phase.SendingRequest;
                rc = await _channel.WriteAsync(_request).ConfigureAwait(false);
            }
            if (rc < 0)
            {
                return _channel.Failed(rc, start);
            }
            return await ReadResponseAsync(start).ConfigureAwait(false);
        }
        finally
        {
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
