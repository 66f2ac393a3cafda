using System.Text.Json.Serialization;

namespace Ipvs.Daemon.Alerts;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlertMessage))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
