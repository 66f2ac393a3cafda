using System.Security.Cryptography;
using System.Text;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// The admin bearer token, read from <c>admin_token_file</c>. Only its SHA-256 is kept, and a presented token is
/// hashed and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>: the comparison time says nothing
/// about the token, not even its length. The token itself is never logged, returned or exported.
/// <para>
/// The file must not be writable by its group or readable by others (the shipped layout is root:ipvs-checkd 0640):
/// a token anyone on the director can read or replace protects nothing, so such a file disables the admin API with
/// that reason. A reload (SIGHUP or the API) reads the file again (<see cref="Reload"/>): a rotated token takes
/// effect without a restart.
/// </para>
/// </summary>
public sealed class AdminToken
{
    private const string Scheme = "Bearer ";
    private const UnixFileMode TooOpen = UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private volatile State _state;

    private AdminToken(byte[]? hash, string? problem)
    {
        _state = new State(hash, problem);
    }

    /// <summary>Why admin actions are refused whatever the request carries (no file, empty file); null when usable.</summary>
    public string? Problem => _state.Problem;

    public bool IsConfigured => _state.Hash is not null;

    public static AdminToken FromSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        return new AdminToken(Hash(secret.AsSpan().Trim()), null);
    }

    /// <summary>Reads the token file: its content with surrounding whitespace (a trailing newline) trimmed.</summary>
    public static AdminToken FromFile(string? path)
    {
        var state = Read(path);
        return new AdminToken(state.Hash, state.Problem);
    }

    /// <summary>Reads <paramref name="path"/> again (reload); from now on only its token is accepted, or none when it is unusable.</summary>
    public void Reload(string? path) => _state = Read(path);

    private static State Read(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new State(null, "no admin_token_file is configured");
        }
        string text;
        UnixFileMode mode;
        try
        {
            mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new State(null, $"admin_token_file {path} cannot be read: {e.Message}");
        }
        if ((mode & TooOpen) != 0)
        {
            return new State(null, $"admin_token_file {path} has mode {Convert.ToString((int)mode, 8)}: it must not be writable by its group nor readable by others (chmod 0640 or 0600)");
        }
        var secret = text.AsSpan().Trim();
        return secret.IsEmpty
            ? new State(null, $"admin_token_file {path} is empty")
            : new State(Hash(secret), null);
    }

    /// <summary>True when <paramref name="authorization"/> is "Bearer &lt;the token&gt;".</summary>
    public bool Accepts(string? authorization)
    {
        var hash = _state.Hash;
        if (hash is null || authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Hash(authorization.AsSpan(Scheme.Length).Trim());
        return CryptographicOperations.FixedTimeEquals(presented, hash);
    }

    private static byte[] Hash(ReadOnlySpan<char> secret)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var n = Encoding.UTF8.GetBytes(secret, bytes);
        var hash = SHA256.HashData(bytes.AsSpan(0, n));
        CryptographicOperations.ZeroMemory(bytes);
        return hash;
    }

    private sealed record State(byte[]? Hash, string? Problem);
}
