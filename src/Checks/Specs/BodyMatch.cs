namespace Ipvs.Checks;

/// <summary>
/// How the HTTP body must look: contain <see cref="Value"/> (substring), match it as a regular expression, or have
/// this MD5 digest in hex (keepalived's <c>digest</c>, computed over the body as read).
/// </summary>
public sealed record BodyMatch(BodyMatchKind Kind, string Value)
{
    public static BodyMatch Substring(string text) => new(BodyMatchKind.Substring, text);

    public static BodyMatch Regex(string pattern) => new(BodyMatchKind.Regex, pattern);

    public static BodyMatch Digest(string md5Hex) => new(BodyMatchKind.Digest, md5Hex);

    /// <summary>How the operator reads it in a reason: "/ok/", "\"ok\"", "md5 …".</summary>
    public override string ToString() => Kind switch
    {
        BodyMatchKind.Regex => "/" + Value + "/",
        BodyMatchKind.Digest => "md5 " + Value,
        _ => "\"" + Value + "\"",
    };
}

public enum BodyMatchKind : byte
{
    Substring = 0,
    Regex = 1,
    Digest = 2,
}
