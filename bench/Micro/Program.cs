using BenchmarkDotNet.Running;
using Ipvs.Bench.Micro;

// Every [MemoryDiagnoser] benchmark class in this assembly, chosen with BenchmarkDotNet's own
// --filter / --job arguments (e.g. `--filter '*Netlink*' --job short`).
// `budget [FILE]` runs all of them with a short in-process job and checks allocation-budget.txt (CI does).
if (args.Length > 0 && args[0] == "budget")
{
    string file = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "allocation-budget.txt");
    var budget = AllocationBudget.Read(file);
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
        .Run(["--filter", "*", "--inProcess", "--job", "short", "--memory", "--exporters", "json",
              "--artifacts", Path.Combine(Path.GetTempPath(), "ipvs-bench-budget")]);
    return AllocationBudget.Check(summaries, budget);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
