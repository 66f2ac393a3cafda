using System.Diagnostics;
using System.Globalization;
using Ipvs.Checks.Interop;
using Ipvs.Checks.Io;

namespace Ipvs.Checks.Probes;

/// <summary>
/// exec: posix_spawn in a new process group (never fork from the runtime), stdout+stderr through one non-blocking
/// pipe read by the check loop, the exit observed through a pidfd — no thread waits. At the deadline the whole group
/// gets SIGKILL; after the command exits, stragglers left in its group are killed too, so nothing outlives a run.
/// </summary>
internal sealed partial class ExecCheck : IHealthCheck
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);
    private readonly ExecCheckSpec _spec;
    private readonly EpollLoop _loop;
    private readonly string[] _argv;
    private readonly string[] _env;
    private readonly string? _setupError;
    private readonly string _timeoutReason;
    private readonly bool _switchesUser;

    public ExecCheck(ExecCheckSpec spec, CheckTarget target) : this(spec, target, null)
    {
    }

    internal ExecCheck(ExecCheckSpec spec, CheckTarget target, EpollLoop? loop)
    {
        _spec = spec;
        Target = target;
        _loop = loop ?? EpollLoop.Shared;
        var inv = CultureInfo.InvariantCulture;
        var address = SockAddr.Normalize(target.EndPoint.Address).ToString();
        var port = target.EndPoint.Port.ToString(inv);
        var rs = target.RealServer ?? target.EndPoint;
        var rsAddress = SockAddr.Normalize(rs.Address).ToString();
        var rsPort = rs.Port.ToString(inv);
        var vs = target.VirtualService ?? "";
        string Expand(string a) => a.Replace("{address}", address).Replace("{port}", port)
            .Replace("{rs_address}", rsAddress).Replace("{rs_port}", rsPort).Replace("{vs}", vs);
        var argv = new List<string>();
        if (spec.User is { } user)
        {
            if (UserSwitch.LookUp(user) is { } ids)
            {
                _setupError = UserSwitch.Problem(user, ids.Uid);
                if (!UserSwitch.IsSelf(ids.Uid))
                {
                    // setpriv (util-linux) drops to the user without a PAM session or an extra process.
                    // setpriv needs the daemon's capabilities to switch; it drops what would pass on to the command.
                    argv.AddRange(["setpriv", "--reuid=" + ids.Uid, "--regid=" + ids.Gid, "--init-groups", "--inh-caps=-all", "--ambient-caps=-all", "--"]);
                    _switchesUser = true;
                }
            }
            else
            {
                _setupError = UserSwitch.UnknownUser(user);
            }
        }
        argv.Add(spec.Command);
        foreach (var a in spec.Arguments)
        {
            argv.Add(Expand(a));
        }
        _argv = [.. argv];
        // A minimal environment (ChildProcess): not the daemon's, which may hold what a check has no business seeing.
        var env = ChildProcess.BaseEnvironment();
        foreach (var extra in spec.Environment)
        {
            env.Add(extra);
        }
        env.Add("IPVS_CHECK_ADDRESS=" + address);
        env.Add("IPVS_CHECK_PORT=" + port);
        env.Add("IPVS_REALSERVER_ADDRESS=" + rsAddress);
        env.Add("IPVS_REALSERVER_PORT=" + rsPort);
        env.Add("IPVS_VIRTUAL_SERVICE=" + vs);
        _env = [.. env];
        if (string.IsNullOrWhiteSpace(spec.Command))
        {
            _setupError = "no command given";
        }
        _timeoutReason = "timeout after " + ((long)spec.Timeout.TotalMilliseconds).ToString(inv) + " ms (command killed)";
    }

    public CheckSpec Spec => _spec;

    public CheckTarget Target { get; }

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        if (_setupError is not null)
        {
            return CheckResult.Error(_setupError, TimeSpan.Zero);
        }
        var deadline = Environment.TickCount64 + (long)_spec.Timeout.TotalMilliseconds;
        var spawn = Spawn(out var pid, out var readFd, out var pidFd);
        if (spawn != 0)
        {
            var reason = spawn == LibC.ENOENT ? "command not found: " + _spec.Command
                : spawn == LibC.EACCES ? "command not executable: " + _spec.Command
                : "could not start command: " + Reasons.Errno(spawn);
            return CheckResult.Error(reason, Stopwatch.GetElapsedTime(start));
        }
        using var output = new OutputReader(_loop, readFd, _spec.MaxOutputBytes);
        using var exit = new ReadinessWaiter(_loop);
        using var reg = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((ReadinessWaiter)s!).Cancel(), exit) : default;
        try
        {
            var reading = output.ReadToEndAsync(deadline + (long)KillGrace.TotalMilliseconds);
            var ev = await exit.WaitAsync(pidFd, LibC.EPOLLIN, add: true, deadline).ConfigureAwait(false);
            var timedOut = ev < 0;
            // The whole group: at the deadline the command and its children; after a normal exit, any leftovers.
            _ = LibC.kill(-pid, LibC.SIGKILL);
            if (timedOut)
            {
                await exit.WaitAsync(pidFd, LibC.EPOLLIN, add: false, Environment.TickCount64 + (long)KillGrace.TotalMilliseconds).ConfigureAwait(false);
            }
            var status = Reap(pid);
            await reading.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var latency = Stopwatch.GetElapsedTime(start);
            return timedOut ? CheckResult.Fail(FailureKind.Timeout, _timeoutReason, latency) : Verdict(status, output.Text(), latency);
        }
        finally
        {
            _ = LibC.close(pidFd);
        }
    }

    private static unsafe int Reap(int pid)
    {
        int status;
        for (var i = 0; i < 200; i++)
        {
            var r = LibC.waitpid(pid, &status, LibC.WNOHANG);
            if (r == pid)
            {
                return status;
            }
            if (r < 0)
            {
                return -1; // reaped elsewhere: exit status unknown
            }
            Thread.Sleep(1); // the pidfd said it exited; the kernel is finishing the zombie
        }
        return -1;
    }

    private CheckResult Verdict(int status, string output, TimeSpan latency)
    {
        if (status < 0)
        {
            return CheckResult.Error("exit status of command lost", latency);
        }
        if ((status & 0x7F) != 0)
        {
            return CheckResult.Fail(FailureKind.ExitCode, "command killed by signal " + (status & 0x7F).ToString(CultureInfo.InvariantCulture), latency);
        }
        var code = (status >> 8) & 0xFF;
        if (_spec.DynamicWeight)
        {
            // keepalived's misc_dynamic: 0 up, 1 down, 2–255 up with weight code − 2.
            return code switch
            {
                0 => CheckResult.Pass(latency),
                1 => CheckResult.Fail(FailureKind.ExitCode, WithOutput("exit code 1", output), latency),
                _ => CheckResult.Pass(latency, code - 2),
            };
        }
        return code == 0 ? CheckResult.Pass(latency) : CheckResult.Fail(FailureKind.ExitCode, WithOutput("exit code " + code.ToString(CultureInfo.InvariantCulture), output), latency);
    }

    private static string WithOutput(string reason, string output)
    {
        var line = output.Trim();
        var eol = line.IndexOf('\n');
        if (eol >= 0)
        {
            line = line[..eol].TrimEnd();
        }
        if (line.Length > 120)
        {
            line = line[..120];
        }
        return line.Length == 0 ? reason : reason + ": " + line;
    }

    public void Dispose()
    {
    }
}
