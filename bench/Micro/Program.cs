using BenchmarkDotNet.Running;

// Every [MemoryDiagnoser] benchmark class in this assembly, chosen with BenchmarkDotNet's own
// --filter / --job arguments (e.g. `--filter '*Netlink*' --job short`).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
