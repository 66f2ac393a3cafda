// ipvs-farm: a simulated realserver farm on loopback, driven over a line-based control channel.
using System.Globalization;
using System.Net;
using Ipvs.Bench.Farm;

// Socket completions run on the runtime's epoll thread instead of hopping to the thread pool: the farm must cost
// far less CPU than the checker it feeds, and a pool hop (wake-up, spinning) per accepted connection does not.
// Read once, when the first socket operation starts, so it is set before any socket exists.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

var count = 100;
var protocol = FarmProtocol.Http;
var first = IPAddress.Parse("127.1.0.1");
var port = 8080;
var control = new IPEndPoint(IPAddress.Loopback, 7070);
var maxSeconds = 3600;
var lifeline = "none";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var v = args[i + 1];
    switch (args[i])
    {
        case "--count": count = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--protocol": protocol = Enum.Parse<FarmProtocol>(v, ignoreCase: true); break;
        case "--first": first = IPAddress.Parse(v); break;
        case "--port": port = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--control": control = IPEndPoint.Parse(v); break;
        case "--max-seconds": maxSeconds = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--lifeline" when v is "none" or "stdin": lifeline = v; break;
        default:
            Console.Error.WriteLine("usage: ipvs-farm [--count N] [--protocol tcp|http|https|smtp|dns|agent] [--first 127.1.0.1] [--port 8080] [--control 127.0.0.1:7070] [--max-seconds 3600] [--lifeline none|stdin]");
            return 2;
    }
}
await using var farm = Farm.Start(count, protocol, first, port);
await using var channel = new FarmControl(farm, control);
Console.WriteLine($"farm {count} {protocol} servers from {farm.Servers[0].EndPoint}; control {channel.EndPoint}");
// The farm stops by itself: on "quit", after --max-seconds, or (--lifeline stdin) when its standard input reaches
// end of file. A parent that starts the farm with a pipe on its stdin and never writes to it gets a farm that cannot
// outlive it: however the parent ends (dispose, Ctrl-C, SIGTERM from a timeout, SIGKILL, a crash), the kernel closes
// the pipe's write end and the farm's read returns 0.
var stdinClosed = lifeline == "stdin" ? WaitForStdinEofAsync() : Task.Delay(Timeout.Infinite);
await Task.WhenAny(channel.Quit, Task.Delay(TimeSpan.FromSeconds(maxSeconds)), stdinClosed);
return 0;

static Task WaitForStdinEofAsync() => Task.Run(() =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    try
    {
        while (stdin.Read(buffer) > 0)
        {
        }
    }
    catch (IOException)
    {
    }
});
