namespace Ipvs.Daemon.Alerts;

/// <summary>
/// A URL as it may be logged, shown or exported: scheme, host and port only; <c>user:password@</c> becomes
/// <c>***@</c> and a path or query <c>/***</c> (tokens travel in all three). The URL used for the request is never
/// changed.
/// </summary>
internal static class UrlRedaction
{
    public const string Hidden = "***";

    public static string Redact(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            return Hidden;
        }
        var user = url.UserInfo.Length > 0 ? Hidden + "@" : "";
        var rest = url.AbsolutePath.Length > 1 || url.Query.Length > 0 ? "/" + Hidden : "";
        return $"{url.Scheme}://{user}{url.Authority}{rest}";
    }

    /// <summary>Redacts <paramref name="text"/> when it parses as an absolute URL, else hides anything after '@' or '?'.</summary>
    public static string Redact(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return Redact(url);
        }
        var cut = text.IndexOfAny(['@', '?']);
        return cut < 0 ? text : text[..cut] + Hidden;
    }

    /// <summary><paramref name="message"/> with the URL's user information and query removed wherever they appear.</summary>
    public static string Scrub(string message, Uri url)
    {
        if (url.UserInfo.Length > 0)
        {
            message = message.Replace(url.UserInfo, Hidden, StringComparison.Ordinal);
            message = message.Replace(Uri.UnescapeDataString(url.UserInfo), Hidden, StringComparison.Ordinal);
        }
        if (url.PathAndQuery.Length > 1)
        {
            message = message.Replace(url.PathAndQuery, "/" + Hidden, StringComparison.Ordinal);
        }
        if (url.Query.Length > 1)
        {
            message = message.Replace(url.Query, "?" + Hidden, StringComparison.Ordinal);
        }
        return message;
    }
}
