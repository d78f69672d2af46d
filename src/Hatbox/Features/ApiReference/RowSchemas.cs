using Hatbox.Features.Db;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// Query results are written by their own converters (a row is an object of its columns, a result an
/// array of rows), so the schema the generator would read off their C# members is not what goes on
/// the wire; this says what does.
/// </summary>
internal sealed class RowSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(QueryRow))
        {
            Reset(schema, JsonSchemaType.Object, "A row: each column by name, with its value.");
        }
        else if (type == typeof(QueryResult))
        {
            Reset(schema, JsonSchemaType.Array, "The rows, each an object of its columns.");
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.Object };
        }
        return Task.CompletedTask;
    }

    static void Reset(OpenApiSchema schema, JsonSchemaType type, string description)
    {
        schema.Type = type;
        schema.Description = description;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        schema.AdditionalProperties = null;
    }
}
