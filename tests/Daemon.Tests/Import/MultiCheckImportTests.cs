using Ipvs.Checks;
using Xunit;

namespace Ipvs.Daemon.Tests.Import;

/// <summary>
/// The import keeps every checker and every url of a keepalived real_server, and both halves of ldirectord's
/// checktype=N, as checks of their own: the migrated director checks no less than before.
/// </summary>
public sealed class MultiCheckImportTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Import_HttpGetWithTwoUrlsAndMiscDynamic_EveryOneIsACheckAndNoneIsLeftInAComment()
    {
        var run = ImportRun.Of("keepalived", _files.Write("keepalived.conf", """
            virtual_server 10.40.0.1 80 {
                delay_loop 5
                lb_algo wlc
                lb_kind NAT
                protocol TCP
                real_server 10.40.1.1 80 {
                    weight 50
                    HTTP_GET {
                        url {
                          path /health
                          status_code 200
                        }
                        url {
                          path /ready
                        }
                        connect_timeout 2
                        retry 1
                    }
                    MISC_CHECK {
                        misc_path "/usr/local/bin/weight.sh 10.40.1.1"
                        misc_timeout 3
                        misc_dynamic
                    }
                }
                real_server 10.40.1.2 80 {
                    weight 50
                    HTTP_GET {
                        url {
                          path /health
                          status_code 200
                        }
                        url {
                          path /ready
                        }
                        connect_timeout 2
                        retry 1
                    }
                    MISC_CHECK {
                        misc_path "/usr/local/bin/weight.sh 10.40.1.1"
                        misc_timeout 3
                        misc_dynamic
                    }
                }
            }
            """));

        Assert.Equal(0, run.Exit);
        Assert.True(run.Validation.Ok, string.Join("\n", run.Validation.Problems));
        foreach (var rs in new[] { "10.40.1.1:80", "10.40.1.2:80" })
        {
            var checks = run.Checks("10.40.0.1:80", rs);
            Assert.Equal(3, checks.Count);
            Assert.Equal("/health", Assert.IsType<HttpCheckSpec>(checks[0].Spec).Path);
            Assert.Equal("/ready", Assert.IsType<HttpCheckSpec>(checks[1].Spec).Path);
            var exec = Assert.IsType<ExecCheckSpec>(checks[2].Spec);
            Assert.True(exec.DynamicWeight);
            Assert.Equal(("/usr/local/bin/weight.sh", TimeSpan.FromSeconds(3)), (exec.Command, exec.Timeout));
            Assert.All(checks.Take(2), c => Assert.Equal((TimeSpan.FromSeconds(2), 2), (c.Spec.Timeout, c.Schedule.Fall)));
        }
        // The same list on both realservers is written once, on the service.
        Assert.Contains("    checks:\n", run.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Comments, c => c.Contains("not imported", StringComparison.Ordinal) || c.Contains("not checked", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SmtpCheckWithTwoHosts_EachHostIsACheck()
    {
        var run = ImportRun.Of("keepalived", _files.Write("keepalived.conf", """
            virtual_server 10.40.0.2 25 {
                lb_kind NAT
                protocol TCP
                real_server 10.40.1.1 25 {
                    SMTP_CHECK {
                        host {
                          connect_ip 10.40.2.1
                        }
                        host {
                          connect_ip 10.40.2.2
                          connect_port 587
                        }
                    }
                }
            }
            """));

        Assert.True(run.Validation.Ok, string.Join("\n", run.Validation.Problems));
        var checks = run.Checks("10.40.0.2:25", "10.40.1.1:25");
        Assert.Equal(["10.40.2.1:25", "10.40.2.2:587"], checks.Select(c => c.Target.EndPoint.ToString()));
        Assert.DoesNotContain(run.Comments, c => c.Contains("only the first host", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_LdirectordChecktypeN_ConnectEveryIntervalAndNegotiateEveryNIntervals()
    {
        var run = ImportRun.Of("ldirectord", _files.Write("ldirectord.cf", """
            checkinterval=2
            virtual=10.40.0.3:80
                real=10.40.1.1:80 masq
                service=http
                request="/health"
                receive="OK"
                checktype=5
            """));

        Assert.True(run.Validation.Ok, string.Join("\n", run.Validation.Problems));
        var checks = run.Checks("10.40.0.3:80", "10.40.1.1:80");
        Assert.Equal(2, checks.Count);
        Assert.IsType<TcpCheckSpec>(checks[0].Spec);
        Assert.Equal(TimeSpan.FromSeconds(2), checks[0].Schedule.Interval);
        Assert.Equal("/health", Assert.IsType<HttpCheckSpec>(checks[1].Spec).Path);
        Assert.Equal(TimeSpan.FromSeconds(10), checks[1].Schedule.Interval);
    }
}
