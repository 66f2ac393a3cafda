// ipvs-bench: one verb per scenario. Each scenario registers itself in Scenarios.All (one file per scenario).
using Ipvs.Bench;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: ipvs-bench SCENARIO [options]\n\nscenarios:");
    foreach (var s in Scenarios.All)
    {
        Console.WriteLine($"  {s.Name,-16} {s.Description}");
    }
    return args.Length == 0 ? 2 : 0;
}

var scenario = Scenarios.All.FirstOrDefault(s => s.Name == args[0]);
if (scenario is null)
{
    Console.Error.WriteLine($"ipvs-bench: unknown scenario '{args[0]}' (try --help)");
    return 2;
}
return await scenario.RunAsync(args[1..]);
