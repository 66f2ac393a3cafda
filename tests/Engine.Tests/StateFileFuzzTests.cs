using System.Net;
using Ipvs.Fuzzing;

namespace Ipvs.Engine.Tests;

/// <summary>Fuzzes the admin state file reader: whatever is on disk, Load returns records or reports the file damaged, never throws.</summary>
public sealed class StateFileFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-state-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_MutatedStateFile_ReturnsRecordsOrEmptyNeverThrows()
    {
        var path = Path.Combine(_dir, "admin.json");
        var store = new FileAdminStateStore(path);
        store.Save(
        [
            new("web", IPEndPoint.Parse("10.0.0.2:80"), AdminState.Drain, null, "alice", DateTimeOffset.UnixEpoch),
            new("dns", IPEndPoint.Parse("[2001:db8::3]:53"), AdminState.Maintenance, 7, "bob", DateTimeOffset.UnixEpoch),
        ]);
        var seed = File.ReadAllBytes(path);
        var inputs = MutationFuzzer.Run("admin state file", [seed], bytes =>
        {
            File.WriteAllBytes(path, bytes);
            foreach (var r in store.Load())
            {
                Assert.NotNull(r.VirtualService);
                Assert.NotNull(r.RealServer);
            }
        }, _ => false, shortRunInputs: 2_000);
        Assert.True(inputs > 0);
    }
}
