namespace Ipvs.Checks;

/// <summary>
/// http / https: one request, the verdict from the status line and optionally the body. https when <see cref="Tls"/>
/// is set. The body is read at most to <see cref="MaxBodyBytes"/> (and only when <see cref="BodyMatch"/> asks for it).
/// </summary>
public sealed record HttpCheckSpec : CheckSpec
{
    public override string Kind => Tls is null ? "http" : "https";

    public override string Label => Kind + " " + Path;

    /// <summary>GET or HEAD.</summary>
    public HttpCheckMethod Method { get; init; } = HttpCheckMethod.Get;

    /// <summary>Request target, starting with '/'.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Host header (virtual host); the target's address when null.</summary>
    public string? Host { get; init; }

    /// <summary>Extra request headers, sent in this order.</summary>
    public ValueList<HttpHeader> Headers { get; init; } = ValueList<HttpHeader>.Empty;

    /// <summary>Status codes that pass; default 200–399.</summary>
    public ValueList<StatusRange> ExpectStatus { get; init; } = DefaultStatus;

    /// <summary>Optional body match (substring, regex, or MD5 digest of the body as keepalived's <c>digest</c>).</summary>
    public BodyMatch? BodyMatch { get; init; }

    /// <summary>At most this many body bytes are read; a longer body is cut there (a digest then covers the cut body).</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>HTTP/1.0 or HTTP/1.1 request line (the connection is closed after one request either way).</summary>
    public HttpCheckVersion Version { get; init; } = HttpCheckVersion.Http11;

    /// <summary>TLS settings; null for plain http.</summary>
    public TlsOptions? Tls { get; init; }

    public static ValueList<StatusRange> DefaultStatus { get; } = [new StatusRange(200, 399)];

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.HttpCheck(this, target, loop.Epoll);
}

public enum HttpCheckMethod : byte
{
    Get = 0,
    Head = 1,
}

public enum HttpCheckVersion : byte
{
    Http11 = 0,
    Http10 = 1,
}
