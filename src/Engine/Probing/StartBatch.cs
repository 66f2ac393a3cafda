namespace Ipvs.Engine;

/// <summary>
/// The socket probes one engine pass starts, handed to the probe loop thread in one post: their syscalls run there,
/// next to their completions, so the engine thread and the loop thread do not wake each other once per probe.
/// Reused: the loop hands it back to <see cref="EngineCore"/> when done.
/// </summary>
internal sealed class StartBatch(Action<StartBatch> done) : IThreadPoolWorkItem
{
    public readonly List<ProbeRunner> Runners = [];

    public CancellationToken Token;

    public void Execute()
    {
        var runners = Runners;
        for (var i = 0; i < runners.Count; i++)
        {
            runners[i].Begin(Token);
        }
        runners.Clear();
        done(this);
    }
}
