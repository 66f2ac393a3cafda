using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipvs.Engine.Tests;

/// <summary>
/// The state file against a user who can write state_dir, and against values no operator wrote (issue 16, items 4,
/// 7 and 8): links planted where the store writes are replaced, never written through; a file that cannot be read
/// is never overwritten; out-of-range weights make the file damaged.
/// </summary>
public sealed class StateFileHardeningTests : IDisposable
{
    private const string Victim = "precious: do not touch\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-state-hardening-").FullName;
    private readonly string _victim = Path.Combine(Path.GetTempPath(), $"ipvs-victim-{Guid.NewGuid():N}");

    public StateFileHardeningTests() => File.WriteAllText(_victim, Victim);

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        File.Delete(_victim);
    }

    private static AdminRecord Drained(string who) => new("web", IPEndPoint.Parse("10.0.0.1:80"), AdminState.Drain, null, who, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Save_SymlinkAtTheOldFixedTempName_LeavesItsTargetUntouched()
    {
        var path = Path.Combine(_dir, "admin.json");
        File.CreateSymbolicLink(path + ".tmp", _victim);
        var store = new FileAdminStateStore(path);

        store.Save([Drained("alice")]);

        Assert.Equal(Victim, File.ReadAllText(_victim));
        Assert.Equal([Drained("alice")], new FileAdminStateStore(path).Load());
        Assert.Null(new FileInfo(path).LinkTarget);
    }

    [Fact]
    public void Load_DamagedFileWithSymlinkAtTheDamagedName_KeepsTheCopyWithoutWritingThroughTheLink()
    {
        var path = Path.Combine(_dir, "admin.json");
        var damaged = Encoding.UTF8.GetBytes("{\"version\": 1, \"realservers\": [ {\"virtual_s");
        File.WriteAllBytes(path, damaged);
        File.CreateSymbolicLink(path + ".damaged", _victim);

        Assert.Empty(new FileAdminStateStore(path).Load());

        Assert.Equal(Victim, File.ReadAllText(_victim));
        Assert.Null(new FileInfo(path + ".damaged").LinkTarget);
        Assert.Equal(damaged, File.ReadAllBytes(path + ".damaged"));
    }

    [Fact]
    public void Save_LeavesNoTempFileBehind()
    {
        var path = Path.Combine(_dir, "admin.json");
        var store = new FileAdminStateStore(path);
        for (var i = 0; i < 5; i++)
        {
            store.Save([Drained("alice" + i)]);
        }

        Assert.Equal(["admin.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(2_000_000_000)]
    [InlineData(65536)]
    public void Load_WeightOverrideOutOfRange_IsDamagedAndKeptAside(long weight)
    {
        var path = Path.Combine(_dir, "admin.json");
        var text = $$"""
            {"version": 1, "realservers": [
              {"virtual_service": "web", "realserver": "10.0.0.1:80", "state": "ready", "weight_override": {{weight}}, "who": "x", "at": "2026-01-01T00:00:00+00:00"}
            ]}
            """;
        File.WriteAllText(path, text);

        Assert.Empty(new FileAdminStateStore(path).Load());

        Assert.Equal(text, File.ReadAllText(path + ".damaged"));
    }

    [Fact]
    public void Load_WeightOverrideInRange_IsKept()
    {
        var path = Path.Combine(_dir, "admin.json");
        File.WriteAllText(path, """
            {"version": 1, "realservers": [
              {"virtual_service": "web", "realserver": "10.0.0.1:80", "state": "ready", "weight_override": 65535, "who": "x", "at": "2026-01-01T00:00:00+00:00"}
            ]}
            """);

        Assert.Equal(65535, Assert.Single(new FileAdminStateStore(path).Load()).WeightOverride);
    }

    [Fact]
    public void Save_AfterTheFileCouldNotBeRead_RefusesUntilItIsMovedAway()
    {
        // As root no mode makes a file unreadable; a socket at the path cannot be opened (ENXIO) yet could be renamed over.
        var path = Path.Combine(_dir, "admin.json");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var store = new FileAdminStateStore(path);

        Assert.Empty(store.Load());
        var ex = Assert.Throws<IOException>(() => store.Save([Drained("alice")]));

        Assert.Contains("could not be read at start", ex.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<IOException>(() => File.OpenRead(path).Dispose());
        socket.Dispose();
        File.Delete(path);
        store.Save([Drained("alice")]);
        Assert.Equal([Drained("alice")], store.Load());
    }

    [Fact]
    public void Save_StateFileIsADirectory_RefusesAndLeavesIt()
    {
        var path = Path.Combine(_dir, "admin.json");
        Directory.CreateDirectory(path);
        var store = new FileAdminStateStore(path);

        Assert.Empty(store.Load());
        var ex = Assert.Throws<IOException>(() => store.Save([Drained("alice")]));

        Assert.Contains("could not be read at start", ex.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(path));
    }
}
