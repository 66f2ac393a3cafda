namespace Ipvs.Engine;

/// <summary>A realserver's (or one check's) health, as rise/fall decided it.</summary>
public enum HealthState
{
    /// <summary>No evidence yet and nothing adopted from the kernel: the first result decides.</summary>
    Unknown,
    Up,
    /// <summary>Up, but the last results failed (fewer than fall): checked at the fast interval.</summary>
    Falling,
    Down,
    /// <summary>Down, but the last results passed (fewer than rise): checked at the fast interval.</summary>
    Rising,
}
