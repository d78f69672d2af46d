using System.Diagnostics;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Domains;
using Hatbox.Features.Idempotency;
using Hatbox.Features.RateLimits;
using Hatbox.Features.Usage;

namespace Hatbox.Pipeline;

/// <summary>
/// The stages of DESIGN.md §5 that act for an API key, in their order, for endpoints marked with
/// <see cref="ApiKeyStageExtensions.RequireApiKey{TBuilder}"/>: the key and its creator's access,
/// allowed domains, rate limits, the monthly quota and idempotency, around the endpoint, and metering
/// of everything after the key (refusals included). Each stage is its own class; this runs them.
/// </summary>
/// <remarks>
/// One middleware rather than one per stage, each of which looked up the caller again, read the
/// clock again and kept an async frame of its own on every request (bench/README.md). Endpoints
/// without a key go straight on.
/// </remarks>
internal sealed class KeyedStages(
    RequestDelegate next,
    ApiKeyStage keys,
    OriginStage origins,
    AdmissionStage admission,
    IdempotencyStage idempotency,
    MeteringStage metering,
    TimeProvider time)
{
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is null ? next(context) : RunAsync(context);

    async Task RunAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var (caller, refusal) = await keys.AuthenticateAsync(context, now);
        if (caller is null)
        {
            await ApiErrorWriter.WriteAsync(context, refusal!);
            return;
        }
        var failedWith = 0;
        var metered = metering.Begin(context, caller, now, started);
        try
        {
            refusal = await origins.CheckAsync(context, caller)
                ?? await admission.AdmitAsync(context, caller, now);
            if (refusal is not null)
            {
                Features.Telemetry.HatboxMetrics.Refused(refusal.Code);
                await ApiErrorWriter.WriteAsync(context, refusal);
                return;
            }
            await idempotency.RunAsync(context, caller, next);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // The exception handler, outside this stage, writes the answer later; the response still says 200 here.
            failedWith = ApiExceptionHandler.ErrorFor(exception).Status;
            throw;
        }
        finally
        {
            await metered.EndAsync(failedWith);
        }
    }
}
