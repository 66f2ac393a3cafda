using System.Security.Cryptography;
using System.Text;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// The admin bearer token, read from <c>admin_token_file</c>. Only its SHA-256 is kept, and a presented token is
/// hashed and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>: the comparison time says nothing
/// about the token, not even its length. The token itself is never logged, returned or exported.
/// </summary>
public sealed class AdminToken
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _hash;

    private AdminToken(byte[]? hash, string? problem)
    {
        _hash = hash;
        Problem = problem;
    }

    /// <summary>Why admin actions are refused whatever the request carries (no file, empty file); null when usable.</summary>
    public string? Problem { get; }

    public bool IsConfigured => _hash is not null;

    public static AdminToken FromSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        return new AdminToken(Hash(secret.AsSpan().Trim()), null);
    }

    /// <summary>Reads the token file: its content with surrounding whitespace (a trailing newline) trimmed.</summary>
    public static AdminToken FromFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new AdminToken(null, "no admin_token_file is configured");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AdminToken(null, $"admin_token_file {path} cannot be read: {e.Message}");
        }
        var secret = text.AsSpan().Trim();
        return secret.IsEmpty
            ? new AdminToken(null, $"admin_token_file {path} is empty")
            : new AdminToken(Hash(secret), null);
    }

    /// <summary>True when <paramref name="authorization"/> is "Bearer &lt;the token&gt;".</summary>
    public bool Accepts(string? authorization)
    {
        if (_hash is null || authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Hash(authorization.AsSpan(Scheme.Length).Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }

    private static byte[] Hash(ReadOnlySpan<char> secret)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var n = Encoding.UTF8.GetBytes(secret, bytes);
        var hash = SHA256.HashData(bytes.AsSpan(0, n));
        CryptographicOperations.ZeroMemory(bytes);
        return hash;
    }
}
