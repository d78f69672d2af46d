using Microsoft.OpenApi;

namespace Hatbox.Features.ApiReference;

internal static class ApiReferenceServiceCollectionExtensions
{
    /// <summary>The one OpenAPI document, served at <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>
    /// The OpenAPI document generated from the endpoints themselves. The framework reads routes,
    /// parameters and typed results; <see cref="TypedBodiesTransformer"/> adds what our own binders
    /// hide from it, and <see cref="ApiDocument"/> adds the platform's rules (auth, headers, errors, versions).
    /// </summary>
    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.ShouldInclude = ApiSurface.Includes;
            options.AddOperationTransformer<TypedBodiesTransformer>();
            options.AddSchemaTransformer<RowSchemas>();
            options.AddSchemaTransformer<NullableMembers>();
        });
        services.AddSingleton<ApiDocument>();
        return services;
    }
}
