using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Bench.Farm;

/// <summary>
/// One simulated realserver on a loopback endpoint. <see cref="Behaviour"/> can change while it runs
/// (up, refuse, blackhole, hang, slow, wrong status, flapping). Counters tell what it saw.
/// </summary>
public sealed partial class FarmServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly List<Socket> _fillers = [];
    private Socket? _listener;
    private Socket? _udp;
    private Timer? _flapTimer;
    private bool _flapDown;
    private long _connections;
    private long _answered;

    public FarmServer(IPEndPoint endPoint, FarmProtocol protocol, X509Certificate2? certificate = null)
    {
        EndPoint = endPoint;
        Protocol = protocol;
        _certificate = certificate;
    }

    public IPEndPoint EndPoint { get; }

    public FarmProtocol Protocol { get; }

    public FarmBehaviour Behaviour { get; private set; } = FarmBehaviour.Refuse;

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan FlapPeriod { get; set; } = TimeSpan.FromSeconds(1);

    public long Connections => Interlocked.Read(ref _connections);

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Behaviour in effect now (Flapping resolves to Up or Refuse).</summary>
    private FarmBehaviour Effective => Behaviour == FarmBehaviour.Flapping ? (_flapDown ? FarmBehaviour.Refuse : FarmBehaviour.Up) : Behaviour;

    public void SetBehaviour(FarmBehaviour behaviour)
    {
        lock (_lock)
        {
            Behaviour = behaviour;
            _flapTimer?.Dispose();
            _flapTimer = null;
            _flapDown = false;
            if (behaviour == FarmBehaviour.Flapping)
            {
                _flapTimer = new Timer(_ => Flap(), null, FlapPeriod, FlapPeriod);
            }
            ApplyListeners();
        }
    }

    private void Flap()
    {
        lock (_lock)
        {
            if (Behaviour != FarmBehaviour.Flapping)
            {
                return;
            }
            _flapDown = !_flapDown;
            ApplyListeners();
        }
    }

    private void ApplyListeners()
    {
        var effective = Effective;
        CloseListeners();
        if (effective == FarmBehaviour.Refuse || _stop.IsCancellationRequested)
        {
            return;
        }
        var listener = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(EndPoint);
        if (effective == FarmBehaviour.Blackhole)
        {
            // A full accept queue: the kernel drops further SYNs, so connects time out.
            listener.Listen(0);
            for (var i = 0; i < 2; i++)
            {
                var filler = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try
                {
                    filler.Connect(EndPoint);
                }
                catch (SocketException)
                {
                }
                _fillers.Add(filler);
            }
            _listener = listener;
        }
        else
        {
            listener.Listen(4096);
            _listener = listener;
            _ = AcceptLoopAsync(listener);
        }
        if (Protocol == FarmProtocol.Dns)
        {
            var udp = new Socket(EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(EndPoint);
            _udp = udp;
            _ = UdpLoopAsync(udp);
        }
    }

    private void CloseListeners()
    {
        _listener?.Dispose();
        _listener = null;
        _udp?.Dispose();
        _udp = null;
        foreach (var f in _fillers)
        {
            f.Dispose();
        }
        _fillers.Clear();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // listener closed (behaviour changed or farm stopped)
            }
            Interlocked.Increment(ref _connections);
            if (Protocol == FarmProtocol.Tcp && Effective == FarmBehaviour.Up)
            {
                connection.Dispose();
                Interlocked.Increment(ref _answered);
                continue;
            }
            _ = ServeAsync(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _flapTimer?.Dispose();
            CloseListeners();
        }
        _stop.Dispose();
    }
}
