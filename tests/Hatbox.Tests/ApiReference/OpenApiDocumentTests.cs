using System.Net;
using System.Text.Json.Nodes;
using Hatbox.Common.Errors;
using Hatbox.Features.Versions;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.ApiReference;

/// <summary><c>/openapi/v1.json</c>: generated from the endpoints, version-pinned, and complete.</summary>
public sealed class OpenApiDocumentTests() : ServerTest()
{
    async Task<JsonObject> GetDocumentAsync(string? version = null)
    {
        using var response = await Http.GetAsync("/openapi/v1.json" + (version is null ? "" : "?version=" + version), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
    }

    static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Value is JsonObject operation && operation.ContainsKey("operationId"))
            .Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    [Fact]
    public async Task TheDocumentIsOpenApi31WithTheBearerSchemeAndTheErrorEnvelope()
    {
        var document = await GetDocumentAsync();

        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(ApiVersions.Current.Name, document["info"]!["version"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearerAuth"]!["scheme"]!.GetValue<string>());
        var envelope = document["components"]!["schemas"]!["ErrorEnvelope"]!.AsObject();
        Assert.Contains("requestId", envelope["properties"]!.AsObject().Select(p => p.Key));
        var query = document["paths"]!["/db/query"]!["post"]!.AsObject();
        Assert.Equal("bearerAuth", query["security"]![0]!.AsObject().Single().Key);
        Assert.Contains(query["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key");
        Assert.Contains(query["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == ApiVersions.HeaderName);
        Assert.NotNull(query["requestBody"]!["content"]!["application/json"]!["schema"]);
        var ok = query["responses"]!["200"]!.AsObject();
        Assert.NotNull(ok["headers"]!["RateLimit-Remaining"]);
        Assert.NotNull(ok["headers"]!["Request-Id"]);
        var limited = query["responses"]!["429"]!.AsObject();
        Assert.NotNull(limited["headers"]!["Retry-After"]);
        Assert.Contains("rate_limited", limited["x-error-codes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains(ErrorCodes.TableNotFound, query["responses"]!["404"]!["x-error-codes"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task AnUnknownVersionIsRefused()
    {
        using var response = await Http.GetAsync("/openapi/v1.json?version=2019-01-01", TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.UnknownApiVersion);
    }

    [Fact]
    public async Task AnOlderVersionShowsItsOwnEndpointsAndShapes()
    {
        var current = await GetDocumentAsync();
        var older = await GetDocumentAsync("2025-06-01");

        Assert.Null(current["paths"]!["/authentication"]!["get"]);
        Assert.NotNull(older["paths"]!["/authentication"]!["get"]);
        static JsonObject Answer(JsonObject document, JsonObject schemas)
        {
            var schema = document["paths"]!["/authentication"]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!.AsObject();
            return schema["$ref"] is { } reference
                ? schemas[reference.GetValue<string>().Split('/')[^1]]!.AsObject()["properties"]!.AsObject()
                : schema["properties"]!.AsObject();
        }
        var now = Answer(current, current["components"]!["schemas"]!.AsObject());
        var then = Answer(older, older["components"]!["schemas"]!.AsObject());
        Assert.True(now.ContainsKey("organizationId") && now.ContainsKey("workspaceId"));
        Assert.True(then.ContainsKey("organization") && !then.ContainsKey("organizationId") && !then.ContainsKey("workspaceId"));
    }

    [Fact]
    public async Task EveryPublicAndManagementEndpointIsDocumentedWithAUniqueOperationId()
    {
        var document = await GetDocumentAsync();
        // An endpoint removed in the current version is documented in the versions that have it.
        var documented = Operations(document).Concat(Operations(await GetDocumentAsync(ApiVersions.All[^1].Name)))
            .Select(o => (o.Path, o.Method.ToUpperInvariant())).ToHashSet();
        var ids = Operations(document).Select(o => o.Operation["operationId"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var endpoints = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var missing = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var isApi = endpoint.Metadata.GetMetadata<VersionedApi>() is not null
                || path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/storage/download/", StringComparison.Ordinal);
            if (!isApi)
            {
                continue;
            }
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}:?]+)[^}]*\}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                if (!documented.Contains((path.Length > 1 ? path.TrimEnd('/') : path, method)))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }
        Assert.True(missing.Count == 0, "Undocumented: " + string.Join(", ", missing));
        Assert.True(documented.Count >= 70, $"Only {documented.Count} operations documented.");
    }

    [Fact]
    public async Task EveryErrorResponseUsesTheEnvelopeWithItsCodes()
    {
        var document = await GetDocumentAsync();
        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (status.StartsWith('2'))
                {
                    continue;
                }
                var codes = response!["x-error-codes"]?.AsArray();
                Assert.True(codes is { Count: > 0 }, $"{method} {path} {status} names no error codes.");
                var schema = response["content"]!["application/json"]!["schema"]!.ToJsonString();
                Assert.Contains("#/components/schemas/ErrorEnvelope", schema, StringComparison.Ordinal);
            }
        }
    }
}
