using Ipvs.Daemon.Config;
using Xunit;

namespace Ipvs.Daemon.Tests.Fuzz;

/// <summary>Inputs the config fuzzer (<see cref="ConfigFuzzTests"/>) found, kept as named cases.</summary>
public sealed class ConfigFuzzRegressionTests
{
    [Theory]
    [InlineData("kernel: { reconcile_interval: 5s, drift: re\nkernel: { reconcile_interval: 5s, drift: revert, on_exit: keep }   # note\n")]
    [InlineData("a: { b: c\nd: { e: f }\n")]
    public void Load_UnclosedFlowMappingThenAnotherLine_IsAYamlProblemNotAnException(string yaml)
    {
        // YamlDotNet's scanner threw a bare InvalidOperationException here, which escaped Load (and a reload).
        var result = ConfigLoader.Load(yaml, "t.yaml");
        var problem = Assert.Single(result.Problems);
        Assert.Null(result.Config);
        Assert.Equal(("t.yaml", "(yaml)"), (problem.File, problem.Field));
        Assert.True(problem.Line >= 1 && problem.Column >= 1, problem.ToString());
    }

    [Fact]
    public void Load_AliasRightAfterAFlowSequence_IsAYamlProblemNotAnException()
    {
        // YamlDotNet threw ArgumentException ("The current event is of an unsupported type").
        var problem = Assert.Single(ConfigLoader.Load("a: [ b ]*c:\n", "t.yaml").Problems);
        Assert.Equal("(yaml)", problem.Field);
        Assert.InRange(problem.Line, 1, 2); // where the scanner stopped: at the alias or at the end of its line
    }

    [Theory]
    [InlineData("a: ", "[")]
    [InlineData("a:\n  ", "- ")]
    [InlineData("", "{a: ")]
    public void Load_NestingAHundredThousandLevelsDeep_IsRefusedWithoutOverflowingTheStack(string head, string level)
    {
        // Found while probing the fuzzer's seeds: the YAML node tree is built recursively and this killed the process.
        var yaml = head + string.Concat(Enumerable.Repeat(level, 100_000)) + "\n";
        var problem = Assert.Single(ConfigLoader.Load(yaml, "t.yaml").Problems);
        Assert.Equal("(yaml)", problem.Field);
        Assert.Contains("nested deeper than 64 levels", problem.Message, StringComparison.Ordinal);
    }
}
