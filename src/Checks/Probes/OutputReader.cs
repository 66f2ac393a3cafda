using System.Runtime.InteropServices;
using System.Text;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>Drains a command's output pipe through the check loop: keeps the first bytes, drops the rest so the command never blocks on a full pipe.</summary>
internal sealed class OutputReader(EpollLoop loop, int fd, int keep) : IDisposable
{
    private readonly ReadinessWaiter _waiter = new(loop);
    private readonly byte[] _kept = new byte[Math.Max(keep, 0)];
    private int _length;

    public string Text() => Encoding.UTF8.GetString(_kept, 0, _length);

    public async ValueTask ReadToEndAsync(long deadline)
    {
        var scratch = new byte[4096];
        var armed = false;
        while (true)
        {
            var n = Read(scratch);
            if (n == 0 || (n < 0 && n != -LibC.EAGAIN))
            {
                return; // end of output (every writer gone) or a read error
            }
            if (n > 0)
            {
                var take = Math.Min(n, _kept.Length - _length);
                scratch.AsSpan(0, take).CopyTo(_kept.AsSpan(_length));
                _length += take;
                continue;
            }
            var ev = await _waiter.WaitAsync(fd, LibC.EPOLLIN, add: !armed, deadline).ConfigureAwait(false);
            armed = true;
            if (ev < 0)
            {
                return;
            }
        }
    }

    private unsafe int Read(byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = LibC.read(fd, p, buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    public void Dispose()
    {
        _ = LibC.close(fd);
        _waiter.Dispose();
    }
}
