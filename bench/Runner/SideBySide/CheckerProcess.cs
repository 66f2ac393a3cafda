using System.Diagnostics;

namespace Ipvs.Bench.SideBySide;

/// <summary>Starts one checker with its generated config, output to a log file; stops its whole tree.</summary>
internal sealed class CheckerProcess : IDisposable
{
    private readonly Process _process;

    private readonly string _log;

    private CheckerProcess(string name, Process process, string command, string log)
    {
        Name = name;
        _process = process;
        Command = command;
        _log = log;
    }

    /// <summary>The last non-empty line the checker wrote (why it exited).</summary>
    public string LastOutput()
    {
        _process.WaitForExit(5000);
        var last = File.Exists(_log) ? File.ReadLines(_log).LastOrDefault(l => l.Trim().Length > 0) : null;
        return $"exit {(_process.HasExited ? _process.ExitCode : -1)}: {last ?? "(no output)"}";
    }

    public int Pid => _process.Id;

    /// <summary>The checker's folder in the run's work folder (config, output, profile).</summary>
    public string Dir => Path.GetDirectoryName(_log)!;

    /// <summary>ipvs-checkd, keepalived or ldirectord.</summary>
    public string Name { get; }

    public string Command { get; }

    public bool Exited => _process.HasExited;

    public static CheckerProcess Start(string checker, SideBySideOptions o, string repo, string dir)
    {
        string command;
        switch (checker)
        {
            case "ipvs-checkd" or "ipvs-checkd-baseline":
                var state = Path.Combine(dir, "state");
                Directory.CreateDirectory(state);
                File.WriteAllText(Path.Combine(dir, "ipvs-checkd.yaml"), PeerConfigs.CheckdYaml(o, state));
                var published = Path.Combine(repo, checker == "ipvs-checkd" ? o.Daemon : o.Baseline);
                var dll = Path.Combine(published, "ipvs-checkd.dll");
                var native = Path.Combine(published, "ipvs-checkd");
                if (!File.Exists(dll) && File.Exists(native))
                {
                    // A Native AOT publish (publish-daemon.sh's default): one executable, no runtime to start.
                    command = $"{native} run --config {dir}/ipvs-checkd.yaml";
                    break;
                }
                if (checker == "ipvs-checkd" && !File.Exists(dll))
                {
                    dll = Path.Combine(repo, "src/Daemon/bin/Release/net10.0/ipvs-checkd.dll"); // the report's command says which ran
                }
                command = $"dotnet exec {dll} run --config {dir}/ipvs-checkd.yaml";
                break;
            case "keepalived":
                File.WriteAllText(Path.Combine(dir, "keepalived.conf"), PeerConfigs.KeepalivedConf(o));
                command = $"keepalived -n -l -D -C -f {dir}/keepalived.conf -p {dir}/keepalived.pid -c {dir}/checkers.pid";
                break;
            default:
                File.WriteAllText(Path.Combine(dir, "ldirectord.cf"), PeerConfigs.LdirectordCf(o, Path.Combine(dir, "ldirectord.log")));
                command = $"ldirectord {dir}/ldirectord.cf start";
                break;
        }
        // exec: the checker keeps the shell's pid, so the tree we measure is the checker's alone.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec {command} >{dir}/{checker}.out 2>&1");
        return new CheckerProcess(checker, Process.Start(psi)!, command, $"{dir}/{checker}.out");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
