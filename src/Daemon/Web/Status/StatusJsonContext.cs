using System.Text.Json.Serialization;
using Ipvs.Daemon.Web.Admin;

namespace Ipvs.Daemon.Web.Status;

/// <summary>Source-generated JSON for the API: snake_case names, enums as their lower-case words.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(AdminResponse))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
