using System.Reflection;

namespace Ipvs.Daemon.Hosting;

/// <summary>
/// The version and commit stamped into the binary at build time (src/Daemon/Ipvs.Daemon.csproj: packaging/build.sh
/// passes the package version from packaging/version.sh; a plain <c>dotnet build</c> says <c>VERSION+dev.gSHA</c>).
/// <c>ipvs-checkd --version</c> prints <see cref="Version"/>; <c>/metrics</c> exports both as <c>ipvs_checkd_build_info</c>.
/// </summary>
internal static class BuildInfo
{
    private static readonly Assembly Self = typeof(BuildInfo).Assembly;

    public static string Version { get; } =
        Self.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Commit { get; } =
        Self.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "IpvsCommit")?.Value ?? "unknown";
}
