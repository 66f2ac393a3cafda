using System.Net;

namespace Ipvs.Engine;

/// <summary>
/// Which probe loop each probed target runs on: a target's probes (every check kind, every service sharing it) stay
/// on one loop, so their I/O and their completions run on one thread. A new target goes to the loop with the fewest
/// targets; a target keeps its loop while any check uses it. Touched only by the engine's pass (under its lock).
/// </summary>
internal sealed class LoopPins(int loops)
{
    private readonly Dictionary<IPEndPoint, (int Loop, int Users)> _pins = [];
    private readonly int[] _targets = new int[loops];

    /// <summary>Targets pinned to each loop now.</summary>
    public int TargetsOn(int loop) => _targets[loop];

    public int Pin(IPEndPoint target)
    {
        if (_pins.TryGetValue(target, out var pin))
        {
            _pins[target] = (pin.Loop, pin.Users + 1);
            return pin.Loop;
        }
        var best = 0;
        for (var i = 1; i < _targets.Length; i++)
        {
            if (_targets[i] < _targets[best])
            {
                best = i;
            }
        }
        _targets[best]++;
        _pins.Add(target, (best, 1));
        return best;
    }

    public void Unpin(IPEndPoint target)
    {
        if (!_pins.TryGetValue(target, out var pin))
        {
            return;
        }
        if (pin.Users > 1)
        {
            _pins[target] = (pin.Loop, pin.Users - 1);
            return;
        }
        _pins.Remove(target);
        _targets[pin.Loop]--;
    }
}
