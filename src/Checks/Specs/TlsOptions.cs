namespace Ipvs.Checks;

/// <summary>
/// TLS for https and send/expect checks. <see cref="Sni"/> is the server name sent (and verified, when
/// <see cref="Verify"/>); null means the HTTP Host, else no SNI. The client certificate is a PEM (or PKCS#12) file path,
/// with its key in <see cref="ClientKey"/> for PEM. Sessions are resumed between runs of the same check unless
/// <see cref="ResumeSessions"/> is off.
/// </summary>
public sealed record TlsOptions
{
    public string? Sni { get; init; }

    public bool Verify { get; init; } = true;

    /// <summary>With <see cref="Verify"/>: also require the certificate's name to match the SNI name. False checks the
    /// chain only (as ldirectord's https check does: LWP with verify_hostname off).</summary>
    public bool VerifyName { get; init; } = true;

    public string? ClientCertificate { get; init; }

    public string? ClientKey { get; init; }

    public bool ResumeSessions { get; init; } = true;

    /// <summary>PEM file of CA certificates trusted instead of the system store (an internal CA); null uses the system store.</summary>
    public string? CaCertificate { get; init; }
}
