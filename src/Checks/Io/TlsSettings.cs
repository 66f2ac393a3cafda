using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Checks.Io;

/// <summary>
/// Client TLS options built once per probe from <see cref="TlsOptions"/>: SNI, verification on/off with the
/// failure worded for an operator, client certificate, session resumption.
/// </summary>
internal sealed class TlsSettings
{
    private readonly bool _verifyName;
    private string? _verifyFailure;

    public TlsSettings(TlsOptions options, string? defaultName)
    {
        var name = options.Sni ?? defaultName;
        _verifyName = options.VerifyName;
        X509CertificateCollection? clientCerts = null;
        if (options.ClientCertificate is { } path)
        {
            try
            {
                clientCerts = [LoadClientCertificate(path, options.ClientKey)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                SetupError = "client certificate " + path + " unusable: " + e.Message;
            }
        }
        X509ChainPolicy? policy = null;
        if (options.Verify && options.CaCertificate is { } ca)
        {
            try
            {
                policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(ca);
                policy.CustomTrustStore.AddRange(roots);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                SetupError = "CA certificate " + ca + " unusable: " + e.Message;
            }
        }
        Options = new SslClientAuthenticationOptions
        {
            TargetHost = name ?? "",
            ClientCertificates = clientCerts,
            AllowTlsResume = options.ResumeSessions,
            EnabledSslProtocols = SslProtocols.None, // the system's choice (TLS 1.2/1.3)
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck, // a check must not wait on a CRL fetch
            CertificateChainPolicy = policy,
            RemoteCertificateValidationCallback = options.Verify ? Verify : static (_, _, _, _) => true,
        };
    }

    public SslClientAuthenticationOptions Options { get; }

    /// <summary>Why the settings cannot be used (the check could not run), or null.</summary>
    public string? SetupError { get; }

    /// <summary>The last verification failure in operator words; read right after a failed handshake.</summary>
    public string? TakeVerifyFailure()
    {
        var f = _verifyFailure;
        _verifyFailure = null;
        return f;
    }

    private bool Verify(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!_verifyName)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            _verifyFailure = "TLS: server sent no certificate";
        }
        else if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            var flags = X509ChainStatusFlags.NoError;
            foreach (var s in chain?.ChainStatus ?? [])
            {
                flags |= s.Status;
            }
            _verifyFailure = (flags & X509ChainStatusFlags.NotTimeValid) != 0
                ? "TLS: certificate expired or not yet valid"
                : (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0
                    ? "TLS: certificate not trusted (self-signed or unknown issuer)"
                    : "TLS: certificate chain invalid (" + flags + ")";
        }
        else
        {
            _verifyFailure = "TLS: certificate name does not match " + Options.TargetHost;
        }
        return false;
    }

    private static X509Certificate2 LoadClientCertificate(string path, string? keyPath)
    {
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }
        using var pem = X509Certificate2.CreateFromPemFile(path, keyPath);
        // Through PKCS#12 so that OpenSSL gets a usable private key.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
