namespace Ipvs.Bench.SideBySide;

/// <summary>What one checker did in one side-by-side run. Null: not reached / not measured.</summary>
internal sealed record CheckerResult
{
    public required string Checker { get; init; }
    public required string Command { get; init; }
    /// <summary>Which measured round (1-based) with --rounds; 0 when the run had one round.</summary>
    public int Round { get; init; }
    public string? Error { get; set; }
    /// <summary>Seconds from start until every realserver was in the table at full weight.</summary>
    public double? SteadySeconds { get; set; }
    public int DestsAtFullWeight { get; set; }
    public double WindowSeconds { get; set; }
    /// <summary>Connections the farm accepted per second during the window (every check is one connection).</summary>
    public double ChecksPerSecond { get; set; }
    /// <summary>Realservers ÷ checks/s: how often one realserver is really checked.</summary>
    public double EffectiveIntervalSeconds { get; set; }
    /// <summary>Checker process tree CPU over the window, % of one CPU.</summary>
    public double CpuPercent { get; set; }
    public double CpuPercentPer1000ChecksPerSecond { get; set; }
    public double RssMiB { get; set; }
    public double FarmCpuPercent { get; set; }
    /// <summary>Realservers not failed by the scenario that went to weight 0 or vanished while watched.</summary>
    public int FalseDowns { get; set; }
    public List<double> DetectSeconds { get; set; } = [];
    public int DetectMissed { get; set; }
    public List<double> RecoverSeconds { get; set; } = [];
    public int RecoverMissed { get; set; }
    /// <summary>detect: mean time between two table reads while watching (5 ms, or more where one read is slow); the larger of the detection and the recovery watch.</summary>
    public double DetectPollMs { get; set; }
    /// <summary>Weight changes seen by the table poller during the window and the detect phases.</summary>
    public long KernelEdits { get; set; }
    /// <summary>flap: realservers set flapping, and the kernel weight changes seen on them over the window.</summary>
    public int FlapServers { get; set; }
    public long FlapEdits { get; set; }
    public double FlapSeconds { get; set; }
    /// <summary>starved: the largest engine lag the checker reported (ipvs-checkd's /metrics; null for peers without one).</summary>
    public double? LagMaxSeconds { get; set; }
    /// <summary>starved: the window set no new high-water mark, so its lag was at most <see cref="LagMaxSeconds"/>.</summary>
    public bool LagMaxIsUpperBound { get; set; }
    public double KernelEditsPerSecond { get; set; }
}
