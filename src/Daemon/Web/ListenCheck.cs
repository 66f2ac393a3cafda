using System.Net;

namespace Ipvs.Daemon.Web;

/// <summary>Tells whether a listen address exposes plain HTTP beyond this machine.</summary>
internal static class ListenCheck
{
    public static bool IsPlainHttpOffLoopback(string address, bool tlsInFront)
    {
        if (tlsInFront || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }
        var host = uri.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // "*", "+" and "0.0.0.0" / "::" bind every interface.
        return !IPAddress.TryParse(host, out var ip) || !IPAddress.IsLoopback(ip);
    }
}
