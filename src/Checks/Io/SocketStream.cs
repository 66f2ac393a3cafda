using Ipvs.Checks.Interop;

namespace Ipvs.Checks.Io;

/// <summary>
/// A Stream over a <see cref="ProbeSocket"/> for SslStream. Errors and the deadline surface as IOException; the
/// errno is kept in <see cref="LastErrno"/> so the probe can word the reason.
/// </summary>
internal sealed class SocketStream(ProbeSocket socket) : Stream
{
    public int LastErrno { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Reset() => LastErrno = 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await socket.ReceiveAsync(buffer, waitFirst: false).ConfigureAwait(false);
        return n >= 0 ? n : throw Failed(-n);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await socket.SendAsync(buffer).ConfigureAwait(false);
        if (n < 0)
        {
            throw Failed(-n);
        }
    }

    private IOException Failed(int errno)
    {
        LastErrno = errno;
        return new IOException(errno == LibC.ETIMEDOUT ? "timeout" : "socket error " + errno);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // Synchronous I/O would block the check loop: never used by SslStream's async paths.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
