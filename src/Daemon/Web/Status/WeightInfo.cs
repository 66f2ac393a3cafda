namespace Ipvs.Daemon.Web.Status;

/// <summary>The weights of a realserver: what the config says, what the engine wants, what the kernel has.</summary>
/// <param name="Kernel">Weight in the kernel table at the last read; null when the destination is not in the kernel.</param>
/// <param name="Override">Weight set by an operator through the API; null when none.</param>
public sealed record WeightInfo(int Configured, int Desired, int? Kernel, int? Override);
