using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>
/// A stream-shaped probe's connection, plain or TLS: connect (and handshake), write, read. Every result is a count
/// or −errno (−<see cref="TlsFailed"/> for a TLS failure, worded in <see cref="TlsFailure"/>); nothing throws.
/// </summary>
internal sealed class ProbeChannel : IDisposable
{
    public const int TlsFailed = 100_000;
    public const int Refused = 100_001;
    private readonly TlsSettings? _tls;
    private readonly SocketStream? _stream;
    private SslStream? _ssl;

    public ProbeChannel(CheckTarget target, TlsSettings? tls, EpollLoop? loop = null)
    {
        Socket = new ProbeSocket(target, loop);
        _tls = tls;
        _stream = tls is null ? null : new SocketStream(Socket);
    }

    public ProbeSocket Socket { get; }

    public bool IsTls => _tls is not null;

    public string? TlsFailure { get; private set; }

    /// <summary>Socket setup (0 or errno); no packet sent yet.</summary>
    public int Open()
    {
        TlsFailure = null;
        return Socket.Open(LibC.SOCK_STREAM, 0);
    }

    public ValueTask<int> ConnectAsync() => Socket.ConnectAsync();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> HandshakeAsync()
    {
        _stream!.Reset();
        _ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        try
        {
            await _ssl.AuthenticateAsClientAsync(_tls!.Options, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or InvalidOperationException)
        {
            if (_stream.LastErrno != 0)
            {
                return -_stream.LastErrno;
            }
            TlsFailure = _tls!.TakeVerifyFailure() ?? "TLS handshake failed: " + (e.InnerException?.Message ?? e.Message);
            return -TlsFailed;
        }
    }

    public ValueTask<int> WriteAsync(ReadOnlyMemory<byte> data) => _ssl is null ? Socket.SendAsync(data) : WriteTlsAsync(data);

    public ValueTask<int> ReadAsync(Memory<byte> buffer, bool waitFirst) => _ssl is null ? Socket.ReceiveAsync(buffer, waitFirst) : ReadTlsAsync(buffer);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WriteTlsAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await _ssl!.WriteAsync(data).ConfigureAwait(false);
            return data.Length;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return -(_stream!.LastErrno != 0 ? _stream.LastErrno : LibC.ECONNRESET);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadTlsAsync(Memory<byte> buffer)
    {
        try
        {
            return await _ssl!.ReadAsync(buffer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or AuthenticationException)
        {
            return -(_stream!.LastErrno != 0 ? _stream.LastErrno : LibC.ECONNRESET);
        }
    }

    public void Cancel() => Socket.Cancel();

    public void Close()
    {
        _ssl?.Dispose();
        _ssl = null;
        Socket.Close();
    }

    public void Dispose()
    {
        Close();
        Socket.Dispose();
    }
}
