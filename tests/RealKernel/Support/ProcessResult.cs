namespace Ipvs.RealKernel.Tests.Support;

/// <summary>What a finished helper process left behind.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Throws with the command, exit code and stderr unless the process exited 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Command}' exited with {ExitCode}: {Stderr.Trim()}{(Stdout.Length > 0 ? " | stdout: " + Stdout.Trim() : "")}");
        }

        return this;
    }
}
