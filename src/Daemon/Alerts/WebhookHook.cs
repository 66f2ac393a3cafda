using System.Net.Http.Headers;

namespace Ipvs.Daemon.Alerts;

/// <summary>
/// POSTs the alert JSON to a URL with the configured headers; any status other than 2xx is a failure. The URL's
/// credentials and query never reach a log: the hook's name and its errors carry the redacted form.
/// </summary>
public sealed class WebhookHook(AlertWebhookOptions options, HttpClient client) : IAlertHook
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public string Name { get; } = "webhook " + UrlRedaction.Redact(options.Url);

    public TimeSpan Timeout => options.Timeout;

    public async Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = content };
        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(UrlRedaction.Scrub(e.Message, options.Url), null, e.StatusCode);
        }
        using var owned = response;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
