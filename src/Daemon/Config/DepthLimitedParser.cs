using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ipvs.Daemon.Config;

/// <summary>
/// Passes YAML events through and refuses nesting deeper than <c>maxDepth</c>. The YAML library builds its node tree
/// recursively, so "a: [[[[..." a hundred thousand levels deep overflowed the stack and killed the process — on
/// validate, or on a reload of a running daemon. A config never needs more than a handful of levels.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }
        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++_depth > maxDepth)
                {
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"nested deeper than {maxDepth} levels");
                }
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}
