using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Ipvs.Engine;

/// <summary>
/// Which realservers an admin action applies to: one endpoint ("10.0.0.2:80", "[2001:db8::2]:80") or every
/// port of a host ("10.0.0.2").
/// </summary>
public readonly record struct RealServerSelector(IPAddress Address, int? Port)
{
    public static RealServerSelector Host(IPAddress address) => new(address, null);

    public static RealServerSelector EndPoint(IPEndPoint endPoint) => new(endPoint.Address, endPoint.Port);

    public bool Matches(IPEndPoint endPoint) =>
        Address.Equals(endPoint.Address) && (Port is null || Port == endPoint.Port);

    public static bool TryParse(string? text, [NotNullWhen(true)] out RealServerSelector? selector)
    {
        selector = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (IPAddress.TryParse(text, out var bare) && !text.StartsWith('['))
        {
            selector = Host(bare);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var ep) && ep.Port != 0)
        {
            selector = EndPoint(ep);
            return true;
        }
        return false;
    }

    public override string ToString() =>
        Port is null ? Address.ToString() : new IPEndPoint(Address, Port.Value).ToString();
}
