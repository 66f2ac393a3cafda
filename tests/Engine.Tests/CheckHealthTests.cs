namespace Ipvs.Engine.Tests;

public class CheckHealthTests
{
    [Fact]
    public void Step_UnknownFirstResult_Decides()
    {
        var h = new CheckHealth();
        Assert.True(h.Step(passed: false, rise: 3, fall: 3));
        Assert.Equal(HealthState.Down, h.State);
    }

    [Fact]
    public void Step_UpThenFailures_GoesDownOnlyAtFall()
    {
        var h = CheckHealth.Adopted(HealthState.Up);
        Assert.False(h.Step(false, 2, 3));
        Assert.Equal(HealthState.Falling, h.State);
        Assert.False(h.Step(false, 2, 3));
        Assert.True(h.Step(false, 2, 3));
        Assert.Equal(HealthState.Down, h.State);
    }

    [Fact]
    public void Step_FallingThenPass_BackUpWithoutTransition()
    {
        var h = CheckHealth.Adopted(HealthState.Up);
        h.Step(false, 2, 3);
        Assert.False(h.Step(true, 2, 3));
        Assert.Equal(HealthState.Up, h.State);
        Assert.Equal(0, h.Failures);
    }

    [Fact]
    public void Step_DownNeedsRiseConsecutivePasses()
    {
        var h = CheckHealth.Adopted(HealthState.Down);
        Assert.False(h.Step(true, 3, 2));
        Assert.Equal(HealthState.Rising, h.State);
        Assert.False(h.Step(false, 3, 2));
        Assert.Equal(HealthState.Down, h.State);
        Assert.False(h.Step(true, 3, 2));
        Assert.False(h.Step(true, 3, 2));
        Assert.True(h.Step(true, 3, 2));
        Assert.Equal(HealthState.Up, h.State);
    }
}
