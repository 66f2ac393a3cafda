using System.Net;

namespace Ipvs.Engine.Tests;

public sealed class FileAdminStateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-admin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Save_ThenLoad_RoundTripsEveryField()
    {
        var store = new FileAdminStateStore(Path.Combine(_dir, "admin.json"));
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        AdminRecord[] records =
        [
            new("web", IPEndPoint.Parse("10.0.0.2:80"), AdminState.Drain, null, "alice", at),
            new("dns", IPEndPoint.Parse("[2001:db8::3]:53"), AdminState.Ready, 7, "bob", at),
        ];
        store.Save(records);
        Assert.Equal(records, new FileAdminStateStore(Path.Combine(_dir, "admin.json")).Load());
        Assert.False(File.Exists(Path.Combine(_dir, "admin.json.tmp")));
    }

    [Fact]
    public void Load_TruncatedFile_ReturnsEmptyAndKeepsCopyAside()
    {
        var path = Path.Combine(_dir, "admin.json");
        var store = new FileAdminStateStore(path);
        store.Save([new("web", IPEndPoint.Parse("10.0.0.2:80"), AdminState.Maintenance, null, "alice", DateTimeOffset.UnixEpoch)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Empty(store.Load());
        Assert.True(File.Exists(path + ".damaged"));
    }

    [Fact]
    public void Load_MissingFile_ReturnsEmpty() =>
        Assert.Empty(new FileAdminStateStore(Path.Combine(_dir, "none", "admin.json")).Load());
}
