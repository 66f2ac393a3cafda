using System.Text.Json;

namespace Ipvs.Daemon.Web.Admin;

/// <summary>
/// Reads <c>{"weight": N}</c> or <c>{"weight": null}</c> strictly: a JSON object with exactly the key
/// <c>weight</c>, an integer 0..65535 or null. <c>{}</c>, <c>{"wieght": 9}</c> or a second key used to clear the
/// override silently; now each is an error that says what was wrong.
/// </summary>
internal static class WeightBody
{
    public const int MaxBytes = 4096;
    private const string Shape = "body must be {\"weight\": N} (0..65535) or {\"weight\": null}";

    /// <summary>Null and the weight (null: clear) when the body is well formed, else why not.</summary>
    public static string? TryParse(ReadOnlySpan<byte> body, out int? weight)
    {
        weight = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            return $"{Shape}: {e.Message}";
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Shape;
            }
            var found = false;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name != "weight")
                {
                    return $"{Shape}: unknown key '{property.Name}'";
                }
                if (found)
                {
                    return $"{Shape}: weight given twice";
                }
                found = true;
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    weight = null;
                }
                else if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var w))
                {
                    if (w is < 0 or > 65535)
                    {
                        return $"weight {w} is outside 0..65535";
                    }
                    weight = w;
                }
                else
                {
                    return $"{Shape}: weight is {property.Value.ValueKind.ToString().ToLowerInvariant()} {property.Value.GetRawText()}";
                }
            }
            return found ? null : $"{Shape}: no weight";
        }
    }
}
