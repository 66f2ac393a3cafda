using System.Text;
using Ipvs.Netlink;
using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Netlink;

/// <summary>Batches of 1000 edits and dumps of 1000 services × 4 destinations against the real kernel.</summary>
public sealed class BatchAndScaleTests : KernelTest
{
    /// <summary>An ipvsadm -R script: services 10.98.S.1:80 (S = 1..), each with realservers 10.98.200+D.S:8080.</summary>
    private static string Restore(int services, int destsPerService)
    {
        var sb = new StringBuilder();
        for (int s = 0; s < services; s++)
        {
            string vip = $"10.98.{s / 250}.{s % 250 + 1}:80";
            sb.Append("-A -t ").Append(vip).Append(" -s wrr\n");
            for (int d = 0; d < destsPerService; d++)
            {
                sb.Append("-a -t ").Append(vip).Append($" -r 10.98.{200 + d}.{s % 250 + 1}:{8080 + s / 250} -m -w 1\n");
            }
        }
        return sb.ToString();
    }

    private static void RestoreWithIpvsadm(string script) =>
        Ipvsadm.Run(["-R"], script, TimeSpan.FromMinutes(5)).EnsureSuccess();

    [Fact]
    public void Apply_ThousandWeightEditsSomeInvalid_ValidLandInvalidReportedEach()
    {
        RestoreWithIpvsadm(Restore(250, 4));
        var edits = new IpvsEdit[1000];
        for (int s = 0; s < 250; s++)
        {
            for (int d = 0; d < 4; d++)
            {
                ServiceKey key = Tcp($"10.98.0.{s + 1}", 80);
                edits[s * 4 + d] = IpvsEdit.EditDestination(key, Dest($"10.98.{200 + d}.{s + 1}", 8080, ForwardMethod.Masquerade, 10 + d));
            }
        }
        // A few invalid ones: negative weight, missing realserver, missing service.
        edits[17] = IpvsEdit.EditDestination(edits[17].Key, edits[17].Destination! with { Weight = -5 });
        edits[500] = IpvsEdit.EditDestination(edits[500].Key, Dest("10.98.250.1", 8080, ForwardMethod.Masquerade, 3));
        edits[999] = IpvsEdit.EditDestination(Tcp("10.98.9.9", 80), edits[999].Destination!);
        var results = new IpvsEditResult[edits.Length];

        Client.Apply(edits, results);

        int[] failed = [.. Enumerable.Range(0, 1000).Where(i => !results[i].Succeeded)];
        Assert.Equal([17, 500, 999], failed);
        Assert.Equal("weight -5 or thresholds (lower 0, upper 0) out of range for destination 10.98.201.5:8080 in TCP 10.98.0.5:80", results[17].Message);
        Assert.Equal("destination 10.98.250.1:8080 does not exist in TCP 10.98.0.126:80", results[500].Message);
        Assert.Equal("service TCP 10.98.9.9:80 does not exist", results[999].Message);
        HashSet<string> lines = IpvsadmSaveLines();
        Assert.Equal(1250, lines.Count);
        Assert.Contains("-a -t 10.98.0.1:80 -r 10.98.203.1:8080 -m -w 13", lines);
        Assert.Contains("-a -t 10.98.0.5:80 -r 10.98.201.5:8080 -m -w 1", lines); // the invalid edit left it alone
        Assert.Contains("-a -t 10.98.0.250:80 -r 10.98.202.250:8080 -m -w 12", lines);
        Assert.Equal(997, lines.Count(l => l.StartsWith("-a", StringComparison.Ordinal) && !l.EndsWith("-w 1", StringComparison.Ordinal)));
    }

    [Fact]
    public void DumpTable_ThousandServicesFourDestinationsEach_CompleteAndEqualToIpvsadm()
    {
        RestoreWithIpvsadm(Restore(1000, 4));

        IReadOnlyList<ServiceEntry> table = Client.DumpTable();

        Assert.Equal(1000, table.Count);
        Assert.All(table, s => Assert.Equal(4, s.Destinations.Count));
        HashSet<string> ours = [.. SaveFormat.Lines(table)];
        HashSet<string> theirs = IpvsadmSaveLines();
        Assert.Equal(5000, theirs.Count);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Apply_AddThousandServicesInOneCall_IpvsadmSeesThemAll()
    {
        var edits = new IpvsEdit[1000];
        for (int s = 0; s < 1000; s++)
        {
            edits[s] = IpvsEdit.AddService(new ServiceConfig(Tcp($"10.98.{s / 250}.{s % 250 + 1}", 80), "wrr"));
        }
        var results = new IpvsEditResult[edits.Length];

        Client.Apply(edits, results);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        Assert.Equal(1000, IpvsadmSaveLines().Count);
        Assert.Equal(IpvsadmSaveLines(), OurSaveLines());
    }
}
