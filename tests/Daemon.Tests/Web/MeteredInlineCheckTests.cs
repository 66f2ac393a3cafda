using System.Net;
using System.Net.Sockets;
using Ipvs.Checks;
using Ipvs.Daemon.Web.Metrics;
using Ipvs.Engine;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

/// <summary>The metering wrapper keeps a probe the loop can drive inline (the engine's lean path) and still counts its results.</summary>
public sealed class MeteredInlineCheckTests
{
    private static MeteredCheckFactory Factory() => new(HealthCheckFactory.Instance, new MetricsRegistry(), perRealserverHistogram: false);

    [Fact]
    public void Create_TcpAndPlainHttp_StayInlineExecDoesNot()
    {
        var factory = Factory();
        var target = new CheckTarget(new IPEndPoint(IPAddress.Loopback, 9));
        using var tcp = factory.Create(new TcpCheckSpec(), target, ProbeLoop.Standalone);
        using var http = factory.Create(new HttpCheckSpec(), target, ProbeLoop.Standalone);
        using var exec = factory.Create(new ExecCheckSpec { Command = "true" }, target, ProbeLoop.Standalone);
        Assert.IsAssignableFrom<IInlineCheck>(tcp);
        Assert.IsAssignableFrom<IInlineCheck>(http);
        Assert.False(exec is IInlineCheck); // exec starts on the engine's thread, never on the probe loop
    }

    [Fact]
    public async Task Start_ThroughTheWrapper_RecordsTheResult()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var factory = Factory();
        using var check = (IInlineCheck)factory.Create(new TcpCheckSpec { Timeout = TimeSpan.FromSeconds(10) }, new CheckTarget(endPoint), ProbeLoop.Standalone);
        var completion = new Completion();
        ProbeLoop.Standalone.Post(new StartItem(check, completion));
        var result = await completion.Done.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal(1, factory.StatsFor(endPoint)?.Passed);
    }

    private sealed class Completion : ICheckCompletion
    {
        public TaskCompletionSource<CheckResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnCheckCompleted(in CheckResult result) => Done.TrySetResult(result);
    }

    private sealed class StartItem(IInlineCheck check, ICheckCompletion completion) : IThreadPoolWorkItem
    {
        public void Execute() => check.Start(completion);
    }
}
