using System.Security.Cryptography;
using System.Text;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Idempotency;

/// <summary>
/// The idempotency stage (Stripe's model): a POST with <c>Idempotency-Key</c> runs once per
/// organization and key; for 24 hours the same key replays the first answer
/// (<c>Idempotent-Replayed: true</c>), with a different request it is <c>400 idempotency_error</c>, and
/// while the first is still running it is <c>409</c>. A request that fails with an exception keeps no
/// record, so it can be retried.
/// </summary>
internal sealed class IdempotencyStage(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    const int MaxKeyLength = 255;

    /// <summary>Runs <paramref name="next"/> for the request, or answers it from the record of its Idempotency-Key.</summary>
    // Requests without an Idempotency-Key (nearly all) go straight on, without an async frame of their own.
    public Task RunAsync(HttpContext context, ApiCaller caller, RequestDelegate next)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        return key.Length == 0 || !HttpMethods.IsPost(context.Request.Method)
            ? next(context)
            : RunOnceAsync(context, key, caller, next);
    }

    async Task RunOnceAsync(HttpContext context, string key, ApiCaller caller, RequestDelegate next)
    {
        if (key.Length > MaxKeyLength)
        {
            await ApiErrorWriter.WriteAsync(context, Error(StatusCodes.Status400BadRequest, "idempotency_key_invalid",
                $"An Idempotency-Key has at most {MaxKeyLength} characters."));
            return;
        }
        var hash = await HashRequestAsync(context.Request);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var record = await ClaimAsync(db, caller.OrganizationId, key, hash, context.RequestAborted);
        if (record.Claimed is null)
        {
            await AnswerExistingAsync(context, record.Existing!, hash);
            return;
        }
        await RunAndStoreAsync(context, db, record.Claimed, next);
    }

    async Task<(IdempotencyRecord? Claimed, IdempotencyRecord? Existing)> ClaimAsync(
        HatboxDbContext db, string organizationId, string key, byte[] hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Key == key, cancellationToken);
        if (existing is not null && existing.ExpiresAt > now)
        {
            return (null, existing);
        }
        if (existing is not null)
        {
            db.IdempotencyRecords.Remove(existing);
        }
        var claimed = new IdempotencyRecord
        {
            OrganizationId = organizationId,
            Key = key,
            RequestHash = hash,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.IdempotencyRecords.Add(claimed);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (claimed, null);
        }
        catch (DbUpdateException)
        {
            // Another request with the same key claimed it a moment ago.
            db.ChangeTracker.Clear();
            return (null, await db.IdempotencyRecords.AsNoTracking()
                .FirstAsync(r => r.OrganizationId == organizationId && r.Key == key, cancellationToken));
        }
    }

    static async Task AnswerExistingAsync(HttpContext context, IdempotencyRecord record, byte[] hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(record.RequestHash, hash))
        {
            await ApiErrorWriter.WriteAsync(context, Error(StatusCodes.Status400BadRequest, "idempotency_key_reused",
                "This Idempotency-Key was used with a different request. Use a new key for a new request."));
            return;
        }
        if (record.CompletedAt is null)
        {
            await ApiErrorWriter.WriteAsync(context, Error(StatusCodes.Status409Conflict, "idempotency_key_in_use",
                "A request with this Idempotency-Key is still running. Retry when it has finished."));
            return;
        }
        context.Response.StatusCode = record.StatusCode;
        context.Response.ContentType = record.ContentType;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(record.Body ?? [], context.RequestAborted);
    }

    async Task RunAndStoreAsync(HttpContext context, HatboxDbContext db, IdempotencyRecord record, RequestDelegate next)
    {
        MemoryStream captured;
        try
        {
            captured = await CapturedResponse.RunAsync(context, next);
        }
        catch
        {
            db.IdempotencyRecords.Remove(record);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        await using (captured)
        {
            record.CompletedAt = time.GetUtcNow();
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Body = captured.ToArray();
            await db.SaveChangesAsync(CancellationToken.None);
            await captured.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    static async Task<byte[]> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    static ApiError Error(int status, string code, string message) =>
        new(status, ErrorTypes.Idempotency, code, message, "Idempotency-Key");
}
