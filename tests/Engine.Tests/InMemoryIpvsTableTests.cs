using System.Net;
using Ipvs.Netlink;

namespace Ipvs.Engine.Tests;

public class InMemoryIpvsTableTests
{
    private static readonly ServiceConfig Svc = new(ServiceKey.ForAddress(IpvsProtocol.Tcp, IPEndPoint.Parse("10.0.0.1:80")), "wlc");
    private static readonly DestinationConfig Dest = new(IPAddress.Parse("10.0.1.1"), 80, ForwardMethod.Route, 5);

    private static IpvsEditResult[] Apply(InMemoryIpvsTable t, params IpvsEdit[] edits)
    {
        var results = new IpvsEditResult[edits.Length];
        t.Apply(edits, results);
        return results;
    }

    [Fact]
    public void Apply_AddExistingServiceAndDestination_ReturnsEexist()
    {
        var t = new InMemoryIpvsTable();
        var r = Apply(t, IpvsEdit.AddService(Svc), IpvsEdit.AddDestination(Svc.Key, Dest),
            IpvsEdit.AddService(Svc), IpvsEdit.AddDestination(Svc.Key, Dest));
        Assert.Equal([0, 0, Errno.EEXIST, Errno.EEXIST], r.Select(x => x.Errno));
        Assert.Equal(1, t.Batches);
    }

    [Fact]
    public void Apply_DestinationOfMissingService_ReturnsEsrch()
    {
        var t = new InMemoryIpvsTable();
        var r = Apply(t, IpvsEdit.AddDestination(Svc.Key, Dest), IpvsEdit.DeleteService(Svc.Key), IpvsEdit.EditService(Svc));
        Assert.All(r, x => Assert.Equal(Errno.ESRCH, x.Errno));
    }

    [Fact]
    public void Apply_EditOrDeleteMissingDestination_ReturnsEnoent()
    {
        var t = new InMemoryIpvsTable();
        var r = Apply(t, IpvsEdit.AddService(Svc), IpvsEdit.EditDestination(Svc.Key, Dest), IpvsEdit.DeleteDestination(Svc.Key, Dest));
        Assert.Equal([0, Errno.ENOENT, Errno.ENOENT], r.Select(x => x.Errno));
    }

    [Fact]
    public void Apply_NegativeWeightOrLowerAboveUpperThreshold_ReturnsErange()
    {
        var t = new InMemoryIpvsTable();
        var r = Apply(t, IpvsEdit.AddService(Svc),
            IpvsEdit.AddDestination(Svc.Key, Dest with { Weight = -1 }),
            IpvsEdit.AddDestination(Svc.Key, Dest with { LowerThreshold = 5, UpperThreshold = 0 }));
        Assert.Equal([0, Errno.ERANGE, Errno.ERANGE], r.Select(x => x.Errno));
        Assert.Null(t.WeightOf(Svc.Key, Dest.EndPoint));
    }

    [Fact]
    public void Apply_UnknownScheduler_ReturnsEnoent()
    {
        var t = new InMemoryIpvsTable();
        var r = Apply(t, IpvsEdit.AddService(Svc with { Scheduler = "nope" }));
        Assert.Equal(Errno.ENOENT, r[0].Errno);
        Assert.Empty(t.Dump());
    }

    [Fact]
    public void Dump_AfterEdit_ShowsNewWeight()
    {
        var t = new InMemoryIpvsTable();
        Apply(t, IpvsEdit.AddService(Svc), IpvsEdit.AddDestination(Svc.Key, Dest), IpvsEdit.EditDestination(Svc.Key, Dest with { Weight = 9 }));
        var s = Assert.Single(t.Dump());
        Assert.Equal(9, Assert.Single(s.Destinations).Config.Weight);
        Assert.Equal(9, t.WeightOf(Svc.Key, Dest.EndPoint));
    }
}
