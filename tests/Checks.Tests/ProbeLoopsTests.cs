using System.Diagnostics;

namespace Ipvs.Checks.Tests;

/// <summary>The probe executor: N loops, each its own thread, with load and lag kept by the loop itself.</summary>
public sealed class ProbeLoopsTests
{
    [Fact]
    public void DefaultCount_Linux_IsTheCpusTheProcessMayRunOn()
    {
        // Cpus_allowed_list is the kernel's own account of the affinity mask, e.g. "0-1" or "0,2-5".
        var line = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        var allowed = 0;
        foreach (var part in line["Cpus_allowed_list:".Length..].Trim().Split(','))
        {
            var ends = part.Split('-');
            allowed += ends.Length == 1 ? 1 : int.Parse(ends[1], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(ends[0], System.Globalization.CultureInfo.InvariantCulture) + 1;
        }

        Assert.Equal(Math.Min(allowed, ProbeLoops.MaxLoops), ProbeLoops.DefaultCount());
    }

    [Fact]
    public async Task Post_ToEachLoop_RunsOnThatLoopsThreadOnly()
    {
        using var loops = new ProbeLoops(3);
        var seen = new (ProbeLoop? Current, ProbeLoop? InSet, bool OnThread)[3];
        for (var i = 0; i < 3; i++)
        {
            var n = i;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            loops[i].Post(new Work(() =>
            {
                seen[n] = (ProbeLoop.Current, loops.Current, loops[n].IsCurrentThread && !loops[(n + 1) % 3].IsCurrentThread);
                done.SetResult();
            }));
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Same(loops[i], seen[i].Current);
            Assert.Same(loops[i], seen[i].InSet);
            Assert.True(seen[i].OnThread);
            Assert.Equal(i, loops[i].Index);
        }
        Assert.Null(ProbeLoop.Current);
        Assert.Null(loops.Current);
    }

    /// <summary>A loop held up for a while shows it: the work posted meanwhile waited at least that long, and the pass that held it was busy as long.</summary>
    [Fact]
    public async Task Stats_LoopHeldUp_LagAndBusyCoverTheHold()
    {
        using var loops = new ProbeLoops(1);
        var loop = loops[0];
        using var release = new ManualResetEventSlim();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new Work(() =>
        {
            holding.SetResult();
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        loop.Post(new Work(after.SetResult));
        var held = Stopwatch.StartNew();
        await Task.Delay(60, TestContext.Current.CancellationToken);
        var heldFor = held.Elapsed;
        release.Set();
        await after.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var stats = loop.Stats();
        Assert.Equal(0, stats.Index);
        Assert.True(stats.Passes >= 2, $"{stats.Passes} passes");
        Assert.True(stats.LagMax >= heldFor, $"lag max {stats.LagMax} < held {heldFor}");
        Assert.True(stats.Busy >= heldFor, $"busy {stats.Busy} < held {heldFor}");
    }

    private sealed class Work(Action action) : IThreadPoolWorkItem
    {
        public void Execute() => action();
    }
}
