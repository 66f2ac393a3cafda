using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.Bench.Farm;

/// <summary>
/// The farm's control channel: one line per command on a loopback TCP port, one reply line per command.
/// <c>list</c> · <c>set ENDPOINT|all BEHAVIOUR</c> · <c>slow MS</c> · <c>flap MS</c> (period of flapping servers, set before <c>set ... flapping</c>) · <c>cpu</c> (ms of utime+stime) ·
/// <c>stats</c> · <c>quit</c>.
/// </summary>
public sealed class FarmControl : IAsyncDisposable
{
    private readonly Farm _farm;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _quit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FarmControl(Farm farm, IPEndPoint endPoint)
    {
        _farm = farm;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        _listener.Listen(8);
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Completes when a client sent <c>quit</c>.</summary>
    public Task Quit => _quit.Task;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                await writer.WriteLineAsync(Execute(line)).ConfigureAwait(false);
                if (line.Trim() == "quit")
                {
                    _quit.TrySetResult();
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs one command line and returns the reply line.</summary>
    public string Execute(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "error empty command";
        }
        var inv = CultureInfo.InvariantCulture;
        switch (words[0])
        {
            case "list":
                return string.Join(' ', _farm.Servers.Select(s => $"{s.EndPoint}={s.Protocol}/{s.Behaviour}"));
            case "cpu":
                return ((long)ProcessCpu.Now().TotalMilliseconds).ToString(inv);
            case "stats":
                return string.Create(inv, $"connections {_farm.Connections} answered {_farm.Answered}");
            case "slow" when words.Length == 2 && int.TryParse(words[1], inv, out var ms):
                foreach (var s in _farm.Servers)
                {
                    s.SlowDelay = TimeSpan.FromMilliseconds(ms);
                }
                return "ok";
            case "flap" when words.Length == 2 && int.TryParse(words[1], inv, out var periodMs) && periodMs > 0:
                foreach (var s in _farm.Servers)
                {
                    s.FlapPeriod = TimeSpan.FromMilliseconds(periodMs);
                }
                return "ok";
            case "set" when words.Length == 3 && Enum.TryParse<FarmBehaviour>(words[2], ignoreCase: true, out var behaviour):
                if (words[1] == "all")
                {
                    _farm.SetAll(behaviour);
                    return "ok";
                }
                if (IPEndPoint.TryParse(words[1], out var ep) && _farm.Find(ep) is { } server)
                {
                    server.SetBehaviour(behaviour);
                    return "ok";
                }
                return "error no server " + words[1];
            case "quit":
                return "bye";
            default:
                return "error unknown command: " + line;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }
}
