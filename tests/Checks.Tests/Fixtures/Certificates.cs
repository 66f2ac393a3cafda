using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>Certificates made in-test: a CA, leaves signed by it (right name, wrong name, expired), a self-signed one, a client cert.</summary>
internal static class Certificates
{
    private static readonly Lazy<X509Certificate2> LazyCa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=ipvs-checkd test CA", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(10));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
    });

    private static readonly Lazy<string> LazyCaFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"ipvs-checks-ca-{Environment.ProcessId}.pem");
        File.WriteAllText(path, LazyCa.Value.ExportCertificatePem());
        return path;
    });

    public static X509Certificate2 Ca => LazyCa.Value;

    /// <summary>PEM file with the test CA, for TlsOptions.CaCertificate.</summary>
    public static string CaFile => LazyCaFile.Value;

    public static X509Certificate2 Leaf(string name, bool expired = false, bool serverAuth = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        var (from, to) = expired
            ? (DateTimeOffset.UtcNow.AddDays(-5), DateTimeOffset.UtcNow.AddDays(-1))
            : (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = req.Create(Ca, from, to, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes a client certificate and key as PEM files; returns their paths.</summary>
    public static (string Cert, string Key) ClientPemFiles()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=ipvs-checkd client", key, HashAlgorithmName.SHA256);
        using var cert = req.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5), RandomNumberGenerator.GetBytes(8));
        var dir = Path.GetTempPath();
        var certPath = Path.Combine(dir, $"ipvs-checks-client-{Environment.ProcessId}.crt");
        var keyPath = Path.Combine(dir, $"ipvs-checks-client-{Environment.ProcessId}.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
