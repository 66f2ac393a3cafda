namespace Ipvs.Checks.Probes;

/// <summary>Where a check was when it stopped: names the step in timeout reasons.</summary>
internal enum Phase : byte
{
    Connecting,
    TlsHandshake,
    SendingRequest,
    ReadingStatusLine,
    ReadingHeaders,
    ReadingBody,
    WaitingForReply,
    Sending,
    Expecting,
    Running,
}
