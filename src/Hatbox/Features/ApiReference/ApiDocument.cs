using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Features.Versions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// The served document, one per API version: the framework's document (from the endpoints), with the
/// platform's rules added by <see cref="DocumentRules"/>. Built on first request and kept, since the
/// endpoints do not change while the server runs.
/// </summary>
internal sealed class ApiDocument(IServiceProvider services, EndpointDataSource endpoints)
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _byVersion = new(StringComparer.Ordinal);

    public Task<byte[]> GetAsync(ApiVersion version) =>
        _byVersion.GetOrAdd(version.Name, _ => new Lazy<Task<byte[]>>(() => BuildAsync(version))).Value;

    /// <summary>The document as JSON, for tests and tools that read it in process.</summary>
    public async Task<JsonObject> GetJsonAsync(ApiVersion version) =>
        JsonNode.Parse(await GetAsync(version))!.AsObject();

    async Task<byte[]> BuildAsync(ApiVersion version)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiReferenceServiceCollectionExtensions.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var root = JsonNode.Parse(text.ToString())!.AsObject();
        var byName = endpoints.Endpoints
            .Select(e => (Endpoint: e, Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName))
            .Where(e => e.Name is not null)
            .GroupBy(e => e.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Endpoint, StringComparer.Ordinal);
        new DocumentRules(root, byName, version).Apply();
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(Indented));
    }
}
