using System.Reflection;
using Hatbox.Common.Binding;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// Tells the generator what it cannot see by itself: bodies bound through <see cref="Body{T}"/> (a
/// custom binder, so the framework knows no schema for it) and answers written as
/// <see cref="JsonHttpResult{TValue}"/> (which, unlike <c>Ok&lt;T&gt;</c>, declares no response type).
/// Both come from the handler's own signature, so they cannot drift from the code.
/// </summary>
internal sealed class TypedBodiesTransformer : IOpenApiOperationTransformer
{
    static readonly string[] BodyMediaTypes = ["application/json", "application/x-www-form-urlencoded"];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        if (handler is null)
        {
            return;
        }
        if (BodyType(handler) is { } bodyType && operation.RequestBody is null)
        {
            var schema = await context.GetOrCreateSchemaAsync(bodyType, null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = BodyMediaTypes.ToDictionary(media => media, _ => new OpenApiMediaType { Schema = schema }),
            };
        }
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        var declared = name is not null && DeclaredShapes.Answers.TryGetValue(name, out var answers) ? answers : [];
        foreach (var (status, answerType) in JsonAnswerTypes(handler.ReturnType).Select(t => (200, t)).Concat(declared))
        {
            operation.Responses ??= [];
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var existing) && existing.Content?.Count > 0)
            {
                continue;
            }
            var schema = await context.GetOrCreateSchemaAsync(answerType, null, cancellationToken);
            operation.Responses[key] = new OpenApiResponse
            {
                Description = status == 202 ? "Accepted: still running." : "OK",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        }
    }

    /// <summary>The <c>T</c> of a <c>Body&lt;T&gt;</c> parameter, if the handler takes one.</summary>
    internal static Type? BodyType(MethodInfo handler) => handler.GetParameters()
        .Select(p => p.ParameterType)
        .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Body<>))
        ?.GetGenericArguments()[0];

    /// <summary>Every <c>T</c> of <c>JsonHttpResult&lt;T&gt;</c> in a handler's return type, through <c>Task</c> and <c>Results&lt;…&gt;</c>.</summary>
    static IEnumerable<Type> JsonAnswerTypes(Type type)
    {
        if (!type.IsGenericType)
        {
            yield break;
        }
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(JsonHttpResult<>))
        {
            yield return type.GetGenericArguments()[0];
            yield break;
        }
        foreach (var argument in type.GetGenericArguments().SelectMany(JsonAnswerTypes))
        {
            yield return argument;
        }
    }
}
