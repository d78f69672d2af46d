using System.Reflection;
using System.Text.Json.Nodes;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Versions;
using Microsoft.AspNetCore.Authorization;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// The platform's rules that no endpoint declares one by one, written into the generated document:
/// which operations exist in the requested version, the Bearer and session schemes, the
/// <c>WorqHat-Version</c>, <c>Idempotency-Key</c>, <c>Request-Id</c> and rate-limit headers, and
/// every error status with the envelope of DESIGN.md §4, its <c>error.code</c> limited to the
/// codes that operation can answer (<see cref="OperationErrors"/>).
/// </summary>
internal sealed class DocumentRules(JsonObject root, IReadOnlyDictionary<string, Endpoint> endpoints, ApiVersion version)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public void Apply()
    {
        root["info"] = new JsonObject
        {
            ["title"] = "Hatbox API",
            ["version"] = version.Name,
            ["description"] = $"The WorqHat-compatible API and the /v1 management API, as answered in API version {version.Name}. "
                + "Every error is the envelope in components.schemas.ErrorEnvelope; each operation lists the error codes it can answer.",
        };
        root["servers"] = new JsonArray(new JsonObject { ["url"] = "/" });
        var components = Object(root, "components");
        Object(components, "securitySchemes")["bearerAuth"] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["description"] = "An API key (wh_…) from the workspace's API Tokens screen. The raw key alone and legacy x-api-key are also accepted.",
        };
        Object(components, "securitySchemes")["session"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "cookie",
            ["name"] = SessionDefaults.CookieName,
            ["description"] = $"A signed-in portal session (POST /v1/sessions). Writes also send the {SessionDefaults.CsrfHeaderName} header from GET /v1/antiforgery.",
        };
        var schemas = Object(components, "schemas");
        OneOfAsAnyOf(root);
        // The envelope leaves out a null param (the writer skips it), so it is not required.
        if (schemas["ErrorDetail"]?["required"] is JsonArray required)
        {
            schemas["ErrorDetail"]!["required"] = new JsonArray([.. required.Select(n => n!.GetValue<string>()).Where(n => n != "param").Select(n => JsonValue.Create(n))]);
        }
        var paths = Object(root, "paths");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in paths.ToList())
        {
            var pathItem = item!.AsObject();
            foreach (var method in Methods)
            {
                if (pathItem[method] is not JsonObject operation)
                {
                    continue;
                }
                var name = operation["operationId"]?.GetValue<string>();
                var endpoint = name is null ? null : endpoints.GetValueOrDefault(name);
                // One endpoint mapped for GET and HEAD shares a name; operation ids must be unique.
                if (name is not null && !seen.Add(name))
                {
                    operation["operationId"] = name + char.ToUpperInvariant(method[0]) + method[1..];
                }
                if (endpoint?.Metadata.GetMetadata<ApiAvailability>() is { } availability && !availability.ExistsIn(version.Name))
                {
                    pathItem.Remove(method);
                    continue;
                }
                var facts = Facts(path, method, endpoint);
                new OperationRules(operation, facts, schemas).Apply();
                if (name is not null)
                {
                    DeclaredShapes.Apply(name, operation);
                    VersionShapes.Apply(operation, schemas, ApiVersions.StepsDownTo(version.Name, name).ToList());
                }
            }
            if (!Methods.Any(pathItem.ContainsKey))
            {
                paths.Remove(path);
            }
        }
    }

    static OperationFacts Facts(string path, string method, Endpoint? endpoint)
    {
        var metadata = endpoint?.Metadata;
        var handler = metadata?.GetMetadata<MethodInfo>();
        var session = metadata?.GetMetadata<IAuthorizeData>() is not null && metadata.GetMetadata<IAllowAnonymous>() is null;
        return new OperationFacts(
            path,
            method,
            Keyed: metadata?.GetMetadata<RequiresApiKey>() is not null,
            Session: session,
            TakesBody: handler is not null && TypedBodiesTransformer.BodyType(handler) is not null,
            Versioned: metadata?.GetMetadata<VersionedApi>() is not null);
    }

    /// <summary>
    /// The generator writes a nullable member as <c>oneOf: [null, T]</c>; when <c>T</c> accepts anything
    /// (a free-form <c>JsonElement</c>), a null matches both branches and <c>oneOf</c> refuses it.
    /// The branches never mean "exactly one" here, so <c>anyOf</c> says what the code does.
    /// </summary>
    static void OneOfAsAnyOf(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["oneOf"] is JsonArray branches && !obj.ContainsKey("anyOf") && !obj.ContainsKey("discriminator"))
                {
                    obj.Remove("oneOf");
                    obj["anyOf"] = branches;
                }
                foreach (var (_, child) in obj.ToList())
                {
                    OneOfAsAnyOf(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    OneOfAsAnyOf(child);
                }
                break;
        }
    }

    internal static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
