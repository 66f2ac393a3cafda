using System.Net.Http.Headers;

namespace Ipvs.Daemon.Alerts;

/// <summary>POSTs the alert JSON to a URL; any status other than 2xx is a failure.</summary>
public sealed class WebhookHook(Uri url, HttpClient client) : IAlertHook
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public string Name => "webhook";

    public async Task SendAsync(AlertMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = Json;
        using var response = await client.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
