using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.ApiKeys;

/// <summary>Turns a presented key into an <see cref="ApiCaller"/>, from the cache when it may be trusted.</summary>
internal sealed class ApiKeyVerifier(ApiKeyCache cache, IServiceScopeFactory scopes, TimeProvider time)
{
    public enum Outcome { Valid, Invalid, Revoked, Expired }

    public readonly record struct Result(Outcome Outcome, ApiCaller? Caller);

    /// <summary>
    /// Hashes of keys that verified, by the header string each came in (<see cref="ApiKeyHeaders.Presented.Source"/>).
    /// Kestrel gives an unchanged header back as the same string for every request on a kept-alive
    /// connection, so a client sending one key is checked and hashed once per connection, not per
    /// request: the SHA-256 was most of a cached verification. Keyed by reference and held weakly, an
    /// entry goes when Kestrel lets go of its string. It only spares the hashing: the hash still goes
    /// through the cache on every request, so revocation works as before.
    /// </summary>
    readonly ConditionalWeakTable<string, StrongBox<SecretHash>> _hashesBySource = new();

    /// <summary>
    /// The hot path: format, hash and cache only. False means the database must be asked.
    /// <paramref name="source"/> is the header string the key came in, if any (its hash is remembered by it).
    /// </summary>
    public bool TryVerifyCached(ReadOnlySpan<char> key, string? source, out Result result)
    {
        StrongBox<SecretHash>? known = null;
        var remembered = source is not null && _hashesBySource.TryGetValue(source, out known);
        SecretHash hash;
        if (remembered)
        {
            hash = known!.Value;
        }
        else if (ApiKeySecret.IsWellFormed(key))
        {
            hash = ApiKeySecret.Hash(key);
        }
        else
        {
            result = new(Outcome.Invalid, null);
            return true;
        }
        var hit = cache.TryGet(hash, out var caller);
        Telemetry.HatboxMetrics.KeyCacheLookup(hit);
        if (hit)
        {
            result = Judge(caller!);
            if (!remembered && source is not null && result.Outcome == Outcome.Valid)
            {
                _hashesBySource.AddOrUpdate(source, new StrongBox<SecretHash>(hash));
            }
            return true;
        }
        result = default;
        return false;
    }

    public async ValueTask<Result> VerifyAsync(ReadOnlyMemory<char> key, string? source, CancellationToken cancellationToken)
    {
        if (TryVerifyCached(key.Span, source, out var cached))
        {
            return cached;
        }
        var hash = ApiKeySecret.Hash(key.Span);
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
