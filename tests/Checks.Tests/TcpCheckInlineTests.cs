using System.Net;
using System.Net.Sockets;
using Ipvs.Checks.Tests.Fixtures;

namespace Ipvs.Checks.Tests;

/// <summary>The tcp check's lean path (<see cref="IInlineCheck.Start"/>): the same verdicts and reasons as RunAsync.</summary>
public sealed class TcpCheckInlineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    /// <summary>Collects one run's result; counts calls, since a run must complete exactly once.</summary>
    internal sealed class Completion : ICheckCompletion
    {
        private readonly TaskCompletionSource<CheckResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;

        public void OnCheckCompleted(in CheckResult result)
        {
            Interlocked.Increment(ref Calls);
            _done.TrySetResult(result);
        }

        public Task<CheckResult> Result => _done.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    internal static async Task<CheckResult> RunInline(IHealthCheck check)
    {
        var completion = new Completion();
        // On the probe loop thread, as the engine starts it.
        ProbeLoop.Standalone.Post(new StartItem((IInlineCheck)check, completion));
        var result = await completion.Result;
        Assert.Equal(1, completion.Calls);
        return result;
    }

    internal sealed class StartItem(IInlineCheck check, ICheckCompletion completion) : IThreadPoolWorkItem
    {
        public void Execute() => check.Start(completion);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Start_Listening_Passes(string address)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        listener.Listen(16);
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(new CheckTarget((IPEndPoint)listener.LocalEndPoint!));
        var result = await RunInline(check);
        Assert.Equal((CheckStatus.Pass, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task Start_ClosedPort_FailsConnectionRefused()
    {
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(new CheckTarget(new IPEndPoint(IPAddress.Loopback, Ports.Unused())));
        var result = await RunInline(check);
        Assert.Equal((CheckStatus.Fail, "connection refused"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Refused, result.Kind);
    }

    [Fact]
    public async Task Start_AcceptQueueFull_TimesOutWithTheSameReason()
    {
        using var hole = Blackhole.Start();
        using var check = new TcpCheckSpec { Timeout = TimeSpan.FromMilliseconds(200) }.Create(new CheckTarget(hole.EndPoint));
        var result = await RunInline(check);
        Assert.Equal((CheckStatus.Fail, "timeout after 200 ms while connecting"), (result.Status, result.Reason));
        Assert.Equal(FailureKind.Timeout, result.Kind);
        Assert.InRange(result.Latency.TotalMilliseconds, 150, 30_000);
    }

    [Fact]
    public async Task Start_BadSourceAddress_IsErrorNotFail()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var target = new CheckTarget((IPEndPoint)listener.LocalEndPoint!, SourceAddress: IPAddress.Parse("192.0.2.1"));
        using var check = new TcpCheckSpec { Timeout = Generous }.Create(target);
        var result = await RunInline(check);
        Assert.Equal((CheckStatus.Error, "source address not available"), (result.Status, result.Reason));
    }

    [Fact]
    public async Task Cancel_RunWaitingOnSilentServer_CompletesOnceAsCancelledBeforeDeadline()
    {
        using var hole = Blackhole.Start();
        using var check = new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(30) }.Create(new CheckTarget(hole.EndPoint));
        var completion = new Completion();
        ProbeLoop.Standalone.Post(new StartItem((IInlineCheck)check, completion));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(0, completion.Calls);
        ((IInlineCheck)check).Cancel();
        var result = await completion.Result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal((CheckStatus.Error, "cancelled"), (result.Status, result.Reason));
        ((IInlineCheck)check).Cancel(); // no run in flight: nothing more happens
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(1, completion.Calls);
    }
}
