using System.Diagnostics;
using System.Net;
using Ipvs.Engine;
using Ipvs.Netlink;

namespace Ipvs.Bench;

/// <summary>
/// A table (in memory, or the kernel's over netlink) that times every batch: when the table answered each edit (while recording), and hands every
/// edit with its answer time to <see cref="OnEdit"/> (called under the engine's apply, keep it short).
/// </summary>
internal sealed class TimedTable(IIpvsTable inner) : IIpvsTable
{
    private readonly Lock _lock = new();
    private bool _recording;
    private List<int> _batches = [];
    private Dictionary<(ServiceKey, IPEndPoint), long> _acks = [];

    public IIpvsTable Inner => inner;

    /// <summary>The weight of one destination as the table reads back now (a full dump: not for hot paths).</summary>
    public static Dictionary<(ServiceKey, IPEndPoint), int> Weights(IIpvsTable table) =>
        table.Dump().SelectMany(s => s.Destinations.Select(d => (s.Config.Key, d.Config.EndPoint, d.Config.Weight)))
            .ToDictionary(t => (t.Key, t.EndPoint), t => t.Weight);

    /// <summary>Every edit the table answered, with the Stopwatch timestamp of the answer.</summary>
    public Action<IpvsEdit, long>? OnEdit { get; set; }

    public string Description => inner.Description + " (timed)";

    public IReadOnlyList<ServiceEntry> Dump() => inner.Dump();

    public void Apply(ReadOnlySpan<IpvsEdit> edits, Span<IpvsEditResult> results)
    {
        inner.Apply(edits, results);
        var at = Stopwatch.GetTimestamp();
        if (OnEdit is { } observe)
        {
            foreach (var e in edits)
            {
                observe(e, at);
            }
        }
        lock (_lock)
        {
            if (!_recording)
            {
                return;
            }
            _batches.Add(edits.Length);
            foreach (var e in edits)
            {
                if (e.Destination is { } d)
                {
                    _acks.TryAdd((e.Key, d.EndPoint), at);
                }
            }
        }
    }

    public void StartRecording()
    {
        lock (_lock)
        {
            _recording = true;
        }
    }

    public (List<int> Batches, Dictionary<(ServiceKey, IPEndPoint), long> Acks) StopRecording()
    {
        lock (_lock)
        {
            _recording = false;
            var r = (_batches, _acks);
            _batches = [];
            _acks = [];
            return r;
        }
    }
}
