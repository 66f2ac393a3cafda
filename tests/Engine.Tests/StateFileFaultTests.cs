using Ipvs.Netlink;
using System.Text;
using static Ipvs.Engine.Tests.EngineHarness;

namespace Ipvs.Engine.Tests;

/// <summary>
/// The admin state file under faults: a disk that is full, a directory the daemon cannot write, a truncated or
/// garbage file. The engine keeps checking and deciding, says what is wrong, and never leaves half a file.
/// </summary>
public sealed class StateFileFaultTests : IDisposable
{
    private static readonly ServiceConfig Svc = Service();
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-state-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Topology Web() =>
        Topo(null, VirtualService("web", Svc, RealServer(Rs(1), 10, Every(1, rise: 1, fall: 1)), RealServer(Rs(2), 10, Every(1, rise: 1, fall: 1))));

    private static AdminRecord Drained(string who) => new("web", Rs(1), AdminState.Drain, null, who, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Save_DiskFull_ThrowsKeepsTheOldFileAndLeavesNoTempFile()
    {
        var path = Path.Combine(_dir, "admin.json");
        var store = new FileAdminStateStore(path);
        store.Save([Drained("alice")]);
        var before = File.ReadAllBytes(path);
        // The temp file is where the next save writes: writing it through /dev/full makes every write fail with ENOSPC,
        // a real "no space left on device" from the kernel, without root or a tiny file system.
        store.OpenTemp = DiskFull.Open;

        var ex = Assert.ThrowsAny<IOException>(() => store.Save([Drained("alice"), new("web", Rs(2), AdminState.Maintenance, null, "bob", DateTimeOffset.UnixEpoch)]));

        Assert.Contains("space", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["admin.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
        Assert.Equal([Drained("alice")], store.Load());
    }

    [Fact]
    public async Task SetAdminState_StateDirectoryNotWritable_AppliesInMemoryReportsAndKeepsChecking()
    {
        var logs = new LogCapture();
        await using var h = new EngineHarness(store: new FileAdminStateStore(Path.Combine(UnwritableDirectory(), "admin.json")), loggerFactory: logs);
        await h.StartAsync(Web());
        h.Run(Second);

        Assert.True(Assert.Single(h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(1)), AdminState.Drain, "alice")).Changed);

        // The drain holds (in memory), the failure is counted and said once, with the reason.
        Assert.Equal(0, h.Weight(Svc, Rs(1)));
        Assert.Equal(1, h.Engine.Counters.AdminStateSaveErrors);
        Assert.True(h.Engine.Counters.AdminStateSaveFailing);
        var line = Assert.Single(logs.Lines, l => l.StartsWith("Error: admin state could not be saved", StringComparison.Ordinal));
        Assert.Contains("denied", line, StringComparison.OrdinalIgnoreCase);
        // Checking goes on: a failing realserver still goes down, and the drain is not undone by health.
        var runs = h.Checks.RunsOf(Rs(2));
        h.Checks.Set(Rs(2), pass: false);
        h.Run(3 * Second);
        Assert.True(h.Checks.RunsOf(Rs(2)) > runs);
        Assert.Equal(HealthState.Down, h.Row("web", Rs(2)).Health);
        Assert.Equal((AdminState.Drain, 0), (h.Row("web", Rs(1)).Admin, h.Weight(Svc, Rs(1))));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("wrong shape")]
    public async Task Start_DamagedStateFile_StartsEmptySaysWhyKeepsACopyAndChecks(string damage)
    {
        var path = Path.Combine(_dir, "admin.json");
        new FileAdminStateStore(path).Save([Drained("alice")]);
        var good = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncated" => good[..(good.Length / 2)],
            "garbage" => [0xFF, 0xFE, 0x00, 0x13, .. Encoding.ASCII.GetBytes("not json at all")],
            _ => Encoding.UTF8.GetBytes("""{ "version": 1, "realservers": [ { "virtual_service": "web", "realserver": "10.0.1.1:80", "state": "drain", "weight_override": "heavy" } ] }"""),
        });
        var damaged = File.ReadAllBytes(path);
        var logs = new LogCapture();
        await using var h = new EngineHarness(store: new FileAdminStateStore(path, logs), loggerFactory: logs);

        await h.StartAsync(Web());
        h.Run(2 * Second);

        Assert.Equal((AdminState.Ready, 10), (h.Row("web", Rs(1)).Admin, h.Weight(Svc, Rs(1))));
        Assert.Single(logs.Lines, l => l.StartsWith($"Warning: admin state file {path} is damaged", StringComparison.Ordinal));
        Assert.Equal(damaged, File.ReadAllBytes(path + ".damaged"));
        Assert.True(h.Checks.RunsOf(Rs(1)) >= 2);
        // The next admin action writes a whole new file over the damaged one.
        h.Engine.SetAdminState("web", RealServerSelector.EndPoint(Rs(2)), AdminState.Maintenance, "bob");
        Assert.Equal(AdminState.Maintenance, Assert.Single(new FileAdminStateStore(path).Load()).State);
    }

    /// <summary>
    /// A directory where creating a file fails with EACCES. A mode-0555 directory does that for a normal user, but
    /// root bypasses file modes (CAP_DAC_OVERRIDE); sysfs refuses to create regular files even for root.
    /// </summary>
    private string UnwritableDirectory()
    {
        if (Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return "/sys";
        }
        var dir = Path.Combine(_dir, "readonly");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return dir;
    }
}
