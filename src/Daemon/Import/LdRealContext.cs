using System.Net;

namespace Ipvs.Daemon.Import;

/// <summary>What a real= line needs of its virtual section.</summary>
internal sealed record LdRealContext(IPAddress? VirtualAddress, int VirtualPort, long? Fwmark, string Protocol, LdSettings Settings)
{
    /// <summary>Notes that hold for the whole virtual section (written once on the service, not on each realserver).</summary>
    public List<string> ServiceNotes { get; } = [];
}
