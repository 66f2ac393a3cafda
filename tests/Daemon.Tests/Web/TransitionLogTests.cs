using Ipvs.Daemon.Web.Status;
using Xunit;

namespace Ipvs.Daemon.Tests.Web;

public sealed class TransitionLogTests
{
    [Fact]
    public void Recent_MoreThanCapacity_KeepsTheNewestNewestFirst()
    {
        var log = new TransitionLog(3);
        for (var i = 0; i < 5; i++)
        {
            log.Record(new TransitionEntry(FakeStatusSource.Start.AddSeconds(i), "web", $"10.0.1.{i}:80", "up", "down", null));
        }

        var recent = log.Recent();

        Assert.Equal(["10.0.1.4:80", "10.0.1.3:80", "10.0.1.2:80"], recent.Select(t => t.Realserver));
    }
}
