using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ipvs.Bench.Farm;

/// <summary>A throwaway ECDSA certificate for the farm's TLS servers.</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string name = "farm.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
