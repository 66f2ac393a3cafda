using Ipvs.RealKernel.Tests.Support;
using Xunit;

namespace Ipvs.RealKernel.Tests.Daemon;

/// <summary>
/// Least privilege, the refusing side: as an unprivileged user without CAP_NET_ADMIN the daemon does not start,
/// names the missing capability and touches nothing. (The working side — nobody with only CAP_NET_ADMIN and
/// CAP_NET_RAW running the whole end-to-end scenario — is <see cref="DaemonRunKernelTests"/>.)
/// </summary>
public sealed class DaemonPrivilegeKernelTests : DaemonKernelTest
{
    [Fact]
    public void Run_AsNobodyWithoutNetAdmin_RefusesAndNamesTheCapability()
    {
        WriteConfig(Header(onExit: "remove") + """
              - name: web
                address: 10.97.4.1:80
                realservers:
                  - { address: 127.0.97.41:18041, weight: 10 }

            """);
        OpenToNobody();

        using var d = DaemonProcess.Start(ConfigPath, "http://" + Listen, Token, AsNobody("+net_raw"));
        Assert.True(d.WaitForExit(StartDeadline), "the daemon kept running without CAP_NET_ADMIN");
        Assert.Equal(1, d.ExitCode);
        Assert.Contains(d.Output, l => l.Contains("missing CAP_NET_ADMIN", StringComparison.Ordinal));
        Assert.DoesNotContain(d.Output, l => l.Contains("missing CAP_NET_RAW", StringComparison.Ordinal));
        Assert.Empty(Kernel.Dump());
    }
}
