using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ipvs.Checks.Probes;

/// <summary>A compiled <see cref="BodyMatch"/>: the needle bytes, the regex, or the expected digest, prepared once per probe.</summary>
internal sealed class BodyMatcher
{
    private readonly BodyMatch _match;
    private readonly byte[]? _needle;
    private readonly Regex? _regex;
    private readonly byte[]? _digest;

    public BodyMatcher(BodyMatch match, TimeSpan timeout)
    {
        _match = match;
        FailReason = "body did not match " + match;
        switch (match.Kind)
        {
            case BodyMatchKind.Substring:
                _needle = Encoding.UTF8.GetBytes(match.Value);
                break;
            case BodyMatchKind.Regex:
                // A server's body must not make the regex run away: bounded by the check's own timeout.
                _regex = new Regex(match.Value, RegexOptions.CultureInvariant, timeout);
                break;
            default:
                _digest = Convert.FromHexString(match.Value);
                break;
        }
    }

    public string FailReason { get; }

    public bool Matches(ReadOnlySpan<byte> body) => Matches(body, out _);

    /// <summary>True when <paramref name="body"/> matches; <paramref name="timedOut"/> when a regex ran out of its time (no match).</summary>
    public bool Matches(ReadOnlySpan<byte> body, out bool timedOut)
    {
        timedOut = false;
        switch (_match.Kind)
        {
            case BodyMatchKind.Substring:
                return body.IndexOf(_needle) >= 0;
            case BodyMatchKind.Regex:
                try
                {
                    return _regex!.IsMatch(Encoding.UTF8.GetString(body));
                }
                catch (RegexMatchTimeoutException)
                {
                    timedOut = true;
                    return false;
                }
            default:
                Span<byte> hash = stackalloc byte[16];
                MD5.HashData(body, hash);
                return hash.SequenceEqual(_digest);
        }
    }
}
