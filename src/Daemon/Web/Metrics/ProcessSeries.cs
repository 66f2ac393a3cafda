using System.Diagnostics;
using Prometheus;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// The process' own cost, under the names Prometheus' client libraries use (so stock dashboards work): CPU,
/// resident memory, open and allowed descriptors, threads, start time, and the .NET garbage collector. Read from
/// the runtime and /proc at scrape time; a reading that /proc does not give (not Linux) keeps its last value (0).
/// </summary>
internal sealed class ProcessSeries
{
    private readonly Counter _cpu;
    private readonly Gauge _rss;
    private readonly Gauge _openFds;
    private readonly Gauge _maxFds;
    private readonly Gauge _threads;
    private readonly Gauge _startTime;
    private readonly Counter _collections;
    private readonly Counter _gcPause;
    private readonly Gauge _heap;
    private readonly Counter _allocated;

    public ProcessSeries(IMetricFactory factory)
    {
        _cpu = factory.CreateCounter("process_cpu_seconds_total", "User and system CPU time of the process, in seconds.");
        _rss = factory.CreateGauge("process_resident_memory_bytes", "Resident memory of the process, in bytes.");
        _openFds = factory.CreateGauge("process_open_fds", "Open file descriptors (sockets included).");
        _maxFds = factory.CreateGauge("process_max_fds", "The limit on open file descriptors (RLIMIT_NOFILE, soft).");
        _threads = factory.CreateGauge("process_threads", "Threads of the process.");
        _startTime = factory.CreateGauge("process_start_time_seconds", "Unix time the process started.");
        _collections = factory.CreateCounter("dotnet_gc_collections_total", "Garbage collections by generation (a gen 2 count includes the gen 0 and 1 it did).",
            new CounterConfiguration { LabelNames = ["generation"] });
        _gcPause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the process was paused for garbage collection, in seconds.");
        _heap = factory.CreateGauge("dotnet_gc_heap_bytes", "Managed heap size after the latest collection, in bytes.");
        _allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the start.");
        _startTime.Set(new DateTimeOffset(Process.GetCurrentProcess().StartTime).ToUnixTimeMilliseconds() / 1000.0);
    }

    public void Write()
    {
        CounterSync.SetTotal(_cpu, Environment.CpuUsage.TotalTime.TotalSeconds);
        _rss.Set(Environment.WorkingSet);
        if (ProcFs.OpenDescriptors() is { } open)
        {
            _openFds.Set(open);
        }
        if (ProcFs.DescriptorLimit() is { } limit)
        {
            _maxFds.Set(limit);
        }
        if (ProcFs.Threads() is { } threads)
        {
            _threads.Set(threads);
        }
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            var child = _collections.WithLabels(GenerationNames[Math.Min(gen, GenerationNames.Length - 1)]);
            child.IncTo(Math.Max(child.Value, GC.CollectionCount(gen)));
        }
        CounterSync.SetTotal(_gcPause, GC.GetTotalPauseDuration().TotalSeconds);
        _heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
        CounterSync.SetTotal(_allocated, GC.GetTotalAllocatedBytes());
    }

    private static readonly string[] GenerationNames = ["0", "1", "2"];
}
