using System.Security.Cryptography;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.ApiKeys;

/// <summary>Turns a presented key into an <see cref="ApiCaller"/>, from the cache when it may be trusted.</summary>
internal sealed class ApiKeyVerifier(ApiKeyCache cache, IServiceScopeFactory scopes, TimeProvider time)
{
    public enum Outcome { Valid, Invalid, Revoked, Expired }

    public readonly record struct Result(Outcome Outcome, ApiCaller? Caller);

    /// <summary>The hot path: format, hash and cache only. False means the database must be asked.</summary>
    public bool TryVerifyCached(string key, out Result result)
    {
        if (!ApiKeySecret.IsWellFormed(key))
        {
            result = new(Outcome.Invalid, null);
            return true;
        }
        if (cache.TryGet(ApiKeySecret.Hash(key), out var caller))
        {
            result = Judge(caller!);
            return true;
        }
        result = default;
        return false;
    }

    public async ValueTask<Result> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (TryVerifyCached(key, out var cached))
        {
            return cached;
        }
        var hash = ApiKeySecret.Hash(key);
        var generation = cache.Generation;
        var caller = await LoadAsync(hash, cancellationToken);
        if (caller is null)
        {
            return new(Outcome.Invalid, null);
        }
        cache.Add(hash, caller, generation);
        return Judge(caller);
    }

    Result Judge(ApiCaller caller)
    {
        if (caller.RevokedAt is not null)
        {
            return new(Outcome.Revoked, caller);
        }
        if (caller.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return new(Outcome.Expired, caller);
        }
        // A key whose creator left the workspace is as good as unknown.
        return caller.CreatorIsMember ? new(Outcome.Valid, caller) : new(Outcome.Invalid, null);
    }

    async Task<ApiCaller?> LoadAsync(SecretHash hash, CancellationToken cancellationToken)
    {
        var bytes = hash.ToBytes();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var caller = await (
            from key in db.ApiKeys.AsNoTracking()
            where key.SecretHash == bytes
            join workspace in db.Workspaces on key.WorkspaceId equals workspace.Id
            join organization in db.Organizations on workspace.OrganizationId equals organization.Id
            let membership = db.Memberships.FirstOrDefault(m => m.WorkspaceId == key.WorkspaceId && m.UserId == key.CreatedByUserId)
            select new ApiCaller(
                key.Id, workspace.Id, workspace.Slug, organization.Id, organization.Plan, organization.ApiVersion,
                key.CreatedByUserId,
                membership == null ? null : membership.Role,
                membership != null && membership.ApiAccess,
                key.ExpiresAt, key.RevokedAt, key.SecretHash))
            .FirstOrDefaultAsync(cancellationToken);
        // The index lookup found it by hash; compare again in constant time so timing says nothing.
        return caller is not null && CryptographicOperations.FixedTimeEquals(caller.SecretHash, bytes) ? caller : null;
    }
}
