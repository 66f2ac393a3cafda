using Microsoft.AspNetCore.Http;

namespace Ipvs.Daemon.Web;

/// <summary>Content negotiation the endpoints share.</summary>
internal static class HttpEncoding
{
    /// <summary>True when Accept-Encoding lists gzip (or *) without q=0.</summary>
    public static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var item = part.Trim();
                var semi = item.IndexOf(';', StringComparison.Ordinal);
                var coding = (semi >= 0 ? item[..semi] : item).Trim();
                if (!coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) && coding != "*")
                {
                    continue;
                }
                var q = semi >= 0 ? item[(semi + 1)..].Replace(" ", "", StringComparison.Ordinal) : "";
                return q is not ("q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        }
        return false;
    }
}
