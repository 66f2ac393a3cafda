using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Ipvs.Checks.Probes;

namespace Ipvs.Bench.Micro.Checks;

/// <summary>
/// The HTTP probe's response reading: the lean pooled-buffer reader it uses (rent, copy the received bytes, parse,
/// return) against System.IO.Pipelines (write into a Pipe, read, parse the first segment, advance). Same parser,
/// same response; what differs is the buffering machinery per check.
/// </summary>
[MemoryDiagnoser]
public class HttpReaderBenchmarks
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();

    private readonly Pipe _pipe = new(PipeOptions.Default);

    [Benchmark(Baseline = true)]
    public int PooledBuffer()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        Response.CopyTo(buffer, 0); // stands for recv() into the buffer
        var status = HttpParser.StatusLine(buffer.AsSpan(0, Response.Length));
        ArrayPool<byte>.Shared.Return(buffer);
        return status;
    }

    [Benchmark]
    public async ValueTask<int> Pipelines()
    {
        var pipe = new Pipe(PipeOptions.Default);
        var memory = pipe.Writer.GetMemory(Response.Length);
        Response.CopyTo(memory);
        pipe.Writer.Advance(Response.Length);
        await pipe.Writer.FlushAsync();
        var read = await pipe.Reader.ReadAsync();
        var status = HttpParser.StatusLine(read.Buffer.FirstSpan);
        pipe.Reader.AdvanceTo(read.Buffer.End);
        await pipe.Reader.CompleteAsync();
        await pipe.Writer.CompleteAsync();
        return status;
    }

    /// <summary>One Pipe per probe, Reset between runs: the cheapest way to use Pipelines here.</summary>
    [Benchmark]
    public async ValueTask<int> PipelinesReused()
    {
        var memory = _pipe.Writer.GetMemory(Response.Length);
        Response.CopyTo(memory);
        _pipe.Writer.Advance(Response.Length);
        await _pipe.Writer.FlushAsync();
        var read = await _pipe.Reader.ReadAsync();
        var status = HttpParser.StatusLine(read.Buffer.FirstSpan);
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        await _pipe.Reader.CompleteAsync();
        await _pipe.Writer.CompleteAsync();
        _pipe.Reset();
        return status;
    }
}
