using System.Net;
using Microsoft.AspNetCore.Http;

namespace Ipvs.Daemon.Web.Guard;

/// <summary>
/// Answers only requests addressed to this daemon: a Host that is an IP address (a page cannot rebind a literal
/// address to us), a localhost name, or one of this machine's names. Anything else is a web page that got a name of
/// its own to resolve to the director (DNS rebinding) and would read the status and metrics: 421, nothing else.
/// </summary>
internal sealed class HostCheck
{
    private readonly HashSet<string> _names;

    public HostCheck(IEnumerable<string> extraNames)
    {
        _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "ip6-localhost", "ip6-loopback" };
        foreach (var name in MachineNames())
        {
            _names.Add(name);
        }
        foreach (var name in extraNames)
        {
            _names.Add(name);
        }
    }

    /// <summary>True when <paramref name="host"/> (the Host header's host part, without port) names this daemon.</summary>
    public bool Allows(string host)
    {
        if (host.Length == 0)
        {
            // HTTP/1.0 without Host: no browser sends that, and there is no name to rebind.
            return true;
        }
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out _) && (bare.Contains(':', StringComparison.Ordinal) || IsDottedQuad(bare)))
        {
            return true;
        }
        var name = bare.TrimEnd('.');
        return _names.Contains(name) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    public async Task Invoke(HttpContext http, RequestDelegate next)
    {
        if (!Allows(http.Request.Host.Host))
        {
            http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("Host is not a name of this daemon: use its address, localhost or the director's host name\n").ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    }

    /// <summary>Four decimal numbers 0..255 without leading zeros: IPv4 as the status API writes it.</summary>
    internal static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit) || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> MachineNames()
    {
        var names = new List<string>();
        try
        {
            var host = Dns.GetHostName();
            names.Add(host);
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                names.Add(host[..dot]);
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
        names.Add(Environment.MachineName);
        return names;
    }
}
