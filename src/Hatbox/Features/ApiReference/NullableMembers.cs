using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// Members declared nullable (<c>string?</c>, <c>FlowRunError?</c>) are written as <c>null</c>, and the
/// schema must say so; the generator leaves some of them, references to other schemas in particular,
/// as if they could not be. The C# annotations decide, as they decide what is written.
/// </summary>
internal sealed class NullableMembers : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        foreach (var member in context.JsonTypeInfo.Properties)
        {
            if (!member.IsGetNullable || !properties.TryGetValue(member.Name, out var property))
            {
                continue;
            }
            switch (property)
            {
                case OpenApiSchemaReference reference:
                    properties[member.Name] = new OpenApiSchema { AnyOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] };
                    break;
                case OpenApiSchema inline when inline.Type is { } type && !type.HasFlag(JsonSchemaType.Null):
                    inline.Type = type | JsonSchemaType.Null;
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
