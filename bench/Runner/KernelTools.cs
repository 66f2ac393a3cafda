using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ipvs.Bench;

/// <summary>Process and table helpers of the kernel scenario: the ipvsadm side and the naming of the benchmark table.</summary>
internal static class KernelTools
{
    /// <summary>Service s: TCP 10.98.(s / 250).(s % 250 + 1):80 (the C program uses the same scheme).</summary>
    public static string Vip(int s) => $"10.98.{s / 250}.{s % 250 + 1}:80";

    /// <summary>Destination d of service s: 10.98.(200 + d).(s % 250 + 1):(8080 + s / 250), masquerade.</summary>
    public static (string Address, ushort Port) Rip(int s, int d) => ($"10.98.{200 + d}.{s % 250 + 1}", (ushort)(8080 + s / 250));

    public static string RestoreScript(int services, int dests)
    {
        var sb = new StringBuilder();
        for (int s = 0; s < services; s++)
        {
            sb.Append("-A -t ").Append(Vip(s)).Append(" -s wrr\n");
            for (int d = 0; d < dests; d++)
            {
                (string a, ushort p) = Rip(s, d);
                sb.Append(CultureInfo.InvariantCulture, $"-a -t {Vip(s)} -r {a}:{p} -m -w 1\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Runs a program to completion (bounded by <paramref name="timeout"/>); returns exit code and stdout.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using Process p = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in time");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static string RunChecked(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        (int code, string stdout, string stderr) = Run(file, args, stdin, timeout);
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} exited {code}: {stderr.Trim()}");
    }

    /// <summary>The repository root (the folder holding Ipvs.sln) above the current directory, or null.</summary>
    public static string? RepositoryRoot()
    {
        for (string? dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Ipvs.sln")))
            {
                return dir;
            }
        }
        return null;
    }
}
