using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// icmp: one echo request. Prefers the unprivileged ICMP datagram socket (allowed by net.ipv4.ping_group_range; the
/// kernel owns the id and strips the IP header); falls back to a raw socket (root/CAP_NET_RAW), where the IPv4 header
/// is skipped and our id is matched. The socket is connected, so only the target's replies arrive.
/// </summary>
internal sealed class IcmpCheck : IHealthCheck
{
    private readonly IcmpCheckSpec _spec;
    private readonly ProbeSocket _socket;
    private readonly TimeoutReasons _timeouts;
    private readonly byte[] _packet;
    private readonly byte[] _buffer = new byte[1600];
    private readonly bool _v6;
    private readonly ushort _id;
    private ushort _sequence;
    private bool? _raw;

    public IcmpCheck(IcmpCheckSpec spec, CheckTarget target) : this(spec, target, null, null)
    {
    }

    /// <param name="forceRaw">Tests: true forces the raw socket, false the datagram socket, null tries datagram then raw.</param>
    internal IcmpCheck(IcmpCheckSpec spec, CheckTarget target, EpollLoop? loop, bool? forceRaw)
    {
        _spec = spec;
        Target = target;
        _socket = new ProbeSocket(target, 0, loop);
        _timeouts = new TimeoutReasons(spec.Timeout);
        _v6 = _socket.Family == LibC.AF_INET6;
        _packet = new byte[8 + Math.Clamp(spec.PayloadSize, 0, 1400)];
        _id = (ushort)Random.Shared.Next(1, 0xFFFF);
        _raw = forceRaw;
        for (var i = 8; i < _packet.Length; i++)
        {
            _packet[i] = (byte)i;
        }
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    /// <summary>Which socket the last run used (tests).</summary>
    internal bool? UsedRaw => _raw;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        _socket.Deadline = Environment.TickCount64 + (long)_spec.Timeout.TotalMilliseconds;
        var err = OpenSocket();
        if (err != 0)
        {
            return Reasons.SetupFailed(err, Stopwatch.GetElapsedTime(start));
        }
        using var reg = _socket.CancelOn(cancellationToken);
        var buffer = _buffer;
        try
        {
            var seq = ++_sequence;
            FillHeader(seq);
            var rc = await _socket.ConnectAsync().ConfigureAwait(false);
            if (rc >= 0)
            {
                rc = await _socket.SendAsync(_packet).ConfigureAwait(false);
            }
            while (rc >= 0)
            {
                rc = await _socket.ReceiveAsync(buffer, waitFirst: true).ConfigureAwait(false);
                if (rc < 0)
                {
                    break;
                }
                var verdict = Judge(buffer.AsSpan(0, rc), seq);
                if (verdict is not null)
                {
                    var latency = Stopwatch.GetElapsedTime(start);
                    return verdict.Length == 0 ? CheckResult.Pass(latency) : CheckResult.Fail(FailureKind.Unreachable, verdict, latency);
                }
            }
            return Reasons.FromErrno(-rc, Phase.WaitingForReply, _timeouts, Stopwatch.GetElapsedTime(start));
        }
        finally
        {
            _socket.Close();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private int OpenSocket()
    {
        var proto = _v6 ? LibC.IPPROTO_ICMPV6 : LibC.IPPROTO_ICMP;
        if (_raw != true)
        {
            var err = _socket.Open(LibC.SOCK_DGRAM, proto);
            if (err == 0)
            {
                _raw = false;
                return 0;
            }
            if (_raw == false || err is not (LibC.EACCES or LibC.EPERM or LibC.EPROTONOSUPPORT))
            {
                return err;
            }
        }
        var rawErr = _socket.Open(LibC.SOCK_RAW, proto);
        if (rawErr == 0)
        {
            _raw = true;
        }
        return rawErr;
    }

    private void FillHeader(ushort seq)
    {
        _packet[0] = (byte)(_v6 ? 128 : 8); // echo request
        _packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), 0);
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(4), _id);
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(6), seq);
        if (!_v6)
        {
            // ICMPv6 checksums are the kernel's (they cover a pseudo-header); ICMPv4 is ours.
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), Checksum(_packet));
        }
    }

    /// <summary>"" for our echo reply, a reason for an error message about our echo, null for anything else.</summary>
    private string? Judge(ReadOnlySpan<byte> packet, ushort seq)
    {
        if (_raw == true && !_v6)
        {
            if (packet.Length < 20)
            {
                return null;
            }
            packet = packet[((packet[0] & 0x0F) * 4)..]; // skip the IPv4 header
        }
        if (packet.Length < 8)
        {
            return null;
        }
        var type = packet[0];
        var echoReply = _v6 ? 129 : 0;
        if (type == echoReply)
        {
            var idMatches = _raw != true || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) == _id;
            return idMatches && BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) == seq ? "" : null;
        }
        return (_v6 ? type == 1 : type == 3) ? "destination unreachable (ICMP)" : null;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if ((data.Length & 1) != 0)
        {
            sum += (uint)(data[^1] << 8);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public void Dispose() => _socket.Dispose();
}
