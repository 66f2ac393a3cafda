namespace Ipvs.Checks;

/// <summary>
/// send/expect: a scripted TCP dialogue (SMTP, POP/IMAP/FTP banners, telnet <c>login:</c>). Passes when every step
/// succeeds in order within the one deadline. <see cref="Smtp"/> is the ready SMTP preset.
/// </summary>
public sealed record ExpectCheckSpec : CheckSpec
{
    public override string Kind => "expect";

    public ValueList<ExpectStep> Steps { get; init; } = ValueList<ExpectStep>.Empty;

    /// <summary>Optional TLS from the first byte (SMTPS, POP3S, IMAPS).</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>At most this many bytes are read while waiting for one expect step.</summary>
    public int MaxReadBytes { get; init; } = 16 * 1024;

    /// <summary>SMTP: 220 banner, EHLO, 250, QUIT (keepalived's SMTP_CHECK).</summary>
    public static ExpectCheckSpec Smtp(string heloName = "ipvs-checkd") => new()
    {
        Steps =
        [
            ExpectStep.ExpectRegex("^220[ -]"),
            ExpectStep.Send("EHLO " + heloName + "\r\n"),
            ExpectStep.ExpectRegex("^250 "),
            ExpectStep.Send("QUIT\r\n"),
        ],
    };

    public override IHealthCheck Create(CheckTarget target, ProbeLoop loop) => new Probes.ExpectCheck(this, target, loop.Epoll);
}
