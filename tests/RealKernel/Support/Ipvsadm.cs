namespace Ipvs.RealKernel.Tests.Support;

/// <summary>
/// The ipvsadm command-line client: an implementation independent of ours that the real-kernel
/// tests use to build tables and to read back what our client did.
/// </summary>
internal static class Ipvsadm
{
    /// <summary>Runs <c>ipvsadm</c> with <paramref name="args"/>; the caller inspects the exit code.</summary>
    public static ProcessResult Run(params string[] args) => ProcessRunner.Run("ipvsadm", args);

    /// <summary>Runs <c>ipvsadm</c> with a deadline and optional standard input (e.g. a table for <c>-R</c>).</summary>
    public static ProcessResult Run(IReadOnlyList<string> args, string? stdin, TimeSpan? timeout = null) =>
        ProcessRunner.Run("ipvsadm", args, stdin, timeout);

    /// <summary>Runs <c>ipvsadm</c> and returns its standard output; throws if it fails.</summary>
    public static string RunChecked(params string[] args) => Run(args).EnsureSuccess().Stdout;

    /// <summary>The table as <c>ipvsadm -Sn</c> prints it: one rule per line, numeric addresses.</summary>
    public static IReadOnlyList<string> SaveLines() =>
        RunChecked("-S", "-n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Deletes every virtual service (<c>ipvsadm -C</c>).</summary>
    public static void Clear() => RunChecked("-C");
}
