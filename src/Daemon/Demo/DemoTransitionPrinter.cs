using System.Threading.Channels;
using Ipvs.Engine;

namespace Ipvs.Daemon.Demo;

/// <summary>
/// Prints the demo's health transitions as one short line each, leaving out the first "unknown → up" of every
/// realserver at start (200 lines that would push the status page URL off the screen). The engine's handler only
/// queues; a bounded queue drops the oldest lines rather than ever slow the engine.
/// </summary>
internal sealed class DemoTransitionPrinter : IAsyncDisposable
{
    private readonly HealthEngine _engine;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Task _writer;

    public DemoTransitionPrinter(HealthEngine engine, TextWriter output)
    {
        _engine = engine;
        _engine.EventRaised += OnEvent;
        _writer = WriteAsync(output);
    }

    private void OnEvent(EngineEvent e)
    {
        if (e.Kind == EngineEventKind.HealthChanged && e.From != "unknown")
        {
            _lines.Writer.TryWrite($"{e.At.ToLocalTime():HH:mm:ss} {e.VirtualService} {e.RealServer}: {e.From} -> {e.To} ({e.Why})");
        }
    }

    private async Task WriteAsync(TextWriter output)
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _engine.EventRaised -= OnEvent;
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
