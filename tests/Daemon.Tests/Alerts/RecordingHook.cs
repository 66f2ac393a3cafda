using System.Threading.Channels;
using Ipvs.Daemon.Alerts;
using Xunit;

namespace Ipvs.Daemon.Tests.Alerts;

/// <summary>A hook that records what it is given; optionally blocks until cancelled (a hung receiver).</summary>
internal sealed class RecordingHook(bool hang = false) : IAlertHook
{
    public Channel<AlertMessage> Received { get; } = Channel.CreateUnbounded<AlertMessage>();

    public int Calls;

    public string Name => "recording";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (hang)
        {
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }
        Received.Writer.TryWrite(message);
    }

    /// <summary>Waits (bounded) for the next alert.</summary>
    public async Task<AlertMessage> NextAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        return await Received.Reader.ReadAsync(deadline.Token);
    }
}
