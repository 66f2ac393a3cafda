namespace Ipvs.Engine;

/// <summary>
/// Rise/fall for one check as a pure step (after YARP's health policies): <c>(state, result) → state</c>,
/// no clock, no I/O, so it is tested on its own.
/// </summary>
internal struct CheckHealth
{
    public HealthState State;
    public int Passes;
    public int Failures;

    public static CheckHealth Adopted(HealthState state) => new() { State = state };

    /// <summary>
    /// Folds one counted result in. Returns true when the check crossed between up and down (Unknown → Up/Down
    /// included); Falling/Rising are steps on the way and return false.
    /// </summary>
    public bool Step(bool passed, int rise, int fall)
    {
        if (passed)
        {
            Failures = 0;
            Passes++;
        }
        else
        {
            Passes = 0;
            Failures++;
        }
        var before = IsUp(State);
        State = State switch
        {
            // No history: the first result decides (a fresh start does not wait rise × interval to add servers).
            HealthState.Unknown => passed ? HealthState.Up : HealthState.Down,
            HealthState.Up or HealthState.Falling => passed ? HealthState.Up
                : Failures >= fall ? HealthState.Down : HealthState.Falling,
            _ => !passed ? HealthState.Down
                : Passes >= rise ? HealthState.Up : HealthState.Rising,
        };
        var after = IsUp(State);
        return after is not null && before != after;
    }

    /// <summary>True for Up/Falling, false for Down/Rising, null for Unknown.</summary>
    public static bool? IsUp(HealthState s) => s switch
    {
        HealthState.Up or HealthState.Falling => true,
        HealthState.Down or HealthState.Rising => false,
        _ => null,
    };
}
