namespace Ipvs.Daemon.Hosting;

/// <summary>The descriptor limit cannot hold the checks and the listener (<see cref="DescriptorBudget"/>); the message names the numbers.</summary>
internal sealed class DescriptorBudgetException(string message) : InvalidOperationException(message);
