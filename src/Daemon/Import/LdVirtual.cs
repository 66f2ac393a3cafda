namespace Ipvs.Daemon.Import;

/// <summary>A <c>virtual=</c> line and the indented lines under it.</summary>
internal sealed record LdVirtual(LdEntry Header, List<LdEntry> Options);
