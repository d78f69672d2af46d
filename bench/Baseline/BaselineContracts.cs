using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baseline;

// Copies of the Hatbox response shapes the baseline answers with, so both serialize the same bytes.

sealed record HealthResponse(
    bool Success, string Status, double Uptime, string Version, string Environment, DateTimeOffset Timestamp,
    HealthServices Services);

sealed record HealthServices(string Database, string Platform, string Tenants, string Redis, string Storage);

sealed record AuthenticationResponse(
    bool Success, string Status, string OrganizationId, string OrgKey, string WorkspaceId, string Workspace,
    string KeyId, string Role, string Plan, string ApiVersion);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(AuthenticationResponse))]
sealed partial class BaselineJsonContext : JsonSerializerContext;
