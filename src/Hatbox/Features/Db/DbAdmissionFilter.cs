using System.Globalization;
using Hatbox.Features.ApiKeys;

namespace Hatbox.Features.Db;

/// <summary>
/// Takes a <see cref="DbAdmission"/> turn for every /db request of a key, after its body is read
/// and before the engine sees it; a refusal is <c>503 database_busy</c> with <c>Retry-After</c>.
/// </summary>
internal sealed class DbAdmissionFilter(DbAdmission admission) : IEndpointFilter
{
    const int RetryAfterSeconds = 1;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (ApiCaller.Of(context.HttpContext) is not { } caller)
        {
            return await next(context);
        }
        using var turn = await admission.EnterAsync(caller.OrganizationId, context.HttpContext.RequestAborted);
        if (turn is null)
        {
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return DbErrors.Busy();
        }
        return await next(context);
    }
}
