using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ipvs.Daemon.Config;

namespace Ipvs.Daemon.Cli;

/// <summary>
/// The CLI's way to a running daemon: its HTTP API on the config's <c>listen</c> (or --url), with the bearer
/// token from the config's <c>admin_token_file</c> (or --token-file) for admin actions. Every call has a deadline.
/// </summary>
internal sealed class DaemonClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>How long a call may take by default (connect, request and the whole answer).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private DaemonClient(Uri baseAddress, string? token, TimeSpan timeout)
    {
        // Never through a proxy from the environment: the daemon is on this host (or named by --url).
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = timeout };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Where the daemon listens and its token, from the options given or the config file; null with the reason when the token is needed and missing.</summary>
    public static DaemonClient? Create(string? url, string configPath, string? tokenFile, bool needsToken, TextWriter error, TimeSpan? timeout = null)
    {
        DaemonConfig? config = null;
        if (url is null || (needsToken && tokenFile is null))
        {
            // The config tells where the daemon listens and where its token is; a broken config still lets --url work.
            var loaded = File.Exists(configPath) ? ConfigLoader.LoadFile(configPath) : null;
            config = loaded?.Config;
        }
        var endPoint = config?.Listen ?? DaemonConfig.DefaultListen;
        // A daemon bound to every address is reached on loopback.
        var target = endPoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endPoint.Port)
            : endPoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endPoint.Port)
            : endPoint;
        var baseUrl = url ?? $"http://{target}/";
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var uri))
        {
            error.WriteLine($"'{baseUrl}' is not a URL");
            return null;
        }
        string? token = null;
        if (needsToken)
        {
            var file = tokenFile ?? config?.AdminTokenFile;
            if (file is null)
            {
                error.WriteLine($"an admin token is needed: give --token-file, or --config with admin_token_file (read {configPath})");
                return null;
            }
            try
            {
                token = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cannot read the admin token {file}: {e.Message}");
                return null;
            }
        }
        return new DaemonClient(uri, token, timeout ?? DefaultTimeout);
    }

    public async Task<(HttpStatusCode Status, string Body)?> SendAsync(HttpMethod method, string path, TextWriter error, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"no daemon answers at {BaseAddress}: {e.Message} (is it running, and is this its listen address? see --config / --url)");
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error.WriteLine($"the daemon at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0.#} s (--timeout sets the deadline)");
            return null;
        }
    }

    /// <summary>Runs an admin POST and prints its outcome; exit 0 on success, 1 otherwise.</summary>
    public async Task<int> AdminAsync(string path, string what, TextWriter output, TextWriter error, CancellationToken ct, string unit = "realserver")
    {
        var reply = await SendAsync(HttpMethod.Post, path, error, ct).ConfigureAwait(false);
        if (reply is not { } r)
        {
            return 1;
        }
        string? message = null;
        var affected = 0;
        try
        {
            using var doc = JsonDocument.Parse(r.Body);
            message = doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            affected = doc.RootElement.TryGetProperty("affected", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 0;
        }
        catch (JsonException)
        {
            message = r.Body;
        }
        if (r.Status is HttpStatusCode.OK)
        {
            output.WriteLine(affected > 0 ? $"{what}: done ({affected} {unit}{(affected == 1 ? "" : "s")})" : $"{what}: done");
            return 0;
        }
        error.WriteLine($"{what}: {(int)r.Status} {message ?? r.Status.ToString()}");
        return 1;
    }

    public void Dispose() => _http.Dispose();
}
