using System.Reflection;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Pipeline;

namespace Hatbox.Common.Binding;

/// <summary>
/// A request body bound through <see cref="RequestBodyReader"/>, whatever its media type: a
/// handler takes <c>Body&lt;InsertRequest&gt; body</c>, or <c>Body&lt;JsonObject&gt;</c> for the raw fields.
/// </summary>
internal sealed record Body<T>(T Value)
{
    /// <summary>Called by minimal APIs. Refuses a bad body by throwing, the only way a binder can.</summary>
    public static async ValueTask<Body<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var limits = context.RequestServices?.GetService<BodyLimits>() ?? BodyLimits.Default;
        var (body, error) = await RequestBodyReader.ReadAsync(context.Request, limits, context.RequestAborted);
        if (body is null)
        {
            throw new RequestRejectedException(error ?? ApiError.Internal());
        }

        if (body is T raw)
        {
            return new Body<T>(raw);
        }

        try
        {
            // Null only for a T whose converter turns an object into null; that is not a value either.
            var value = body.Deserialize<T>(BodyJson.Options);
            return value is null
                ? throw new RequestRejectedException(BodyJson.InvalidParameter(path: null))
                : new Body<T>(value);
        }
        catch (JsonException e)
        {
            throw new RequestRejectedException(BodyJson.InvalidParameter(e.Path));
        }
    }
}
