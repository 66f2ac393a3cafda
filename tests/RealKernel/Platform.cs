using System.Runtime.Versioning;

// The real-kernel suite runs only on Linux (IPVS, netlink, setpriv, /proc).
[assembly: SupportedOSPlatform("linux")]
