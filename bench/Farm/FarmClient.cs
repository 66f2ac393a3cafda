using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.Bench.Farm;

/// <summary>Talks to a running <c>ipvs-farm</c> over its control channel.</summary>
public sealed class FarmClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    public FarmClient(IPEndPoint control)
    {
        _client = new TcpClient(control.AddressFamily);
        _client.Connect(control);
        var stream = _client.GetStream();
        _reader = new StreamReader(stream, Encoding.ASCII);
        _writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
    }

    public string Send(string command)
    {
        _writer.WriteLine(command);
        return _reader.ReadLine() ?? throw new IOException("farm closed the control channel");
    }

    public TimeSpan Cpu() => TimeSpan.FromMilliseconds(long.Parse(Send("cpu"), System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _client.Dispose();
    }
}
