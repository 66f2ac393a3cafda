using System.Globalization;
using System.Net;
using Ipvs.Daemon.Web.Guard;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// Addresses in admin routes, written only the one way the status API writes them: IPv4 as a dotted quad without
/// leading zeros, IPv6 in RFC 5952 form (lower case, zeros compressed; in brackets with a port). <see cref="IPAddress.TryParse(string, out IPAddress)"/> also takes
/// <c>127.1</c> and <c>2130706433</c>, which an operator never means and a typo easily makes.
/// </summary>
internal static class StrictAddress
{
    public static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // Only the form the status writes (RFC 5952: lower case, zeros compressed): one text per address.
            return IPAddress.TryParse(text, out address!) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                && address.ToString() == text;
        }
        return HostCheck.IsDottedQuad(text) && IPAddress.TryParse(text, out address!);
    }

    /// <summary><c>A.B.C.D:PORT</c> or <c>[IPv6]:PORT</c>, port 1..65535 in plain digits.</summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.None, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var host = text[..colon];
        var port = text[(colon + 1)..];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']'))
            {
                return false;
            }
            host = host[1..^1];
            if (!host.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }
        if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || port[0] == '0'
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
        {
            return false;
        }
        if (!TryParseAddress(host, out var address))
        {
            return false;
        }
        endPoint = new IPEndPoint(address, p);
        return true;
    }
}
