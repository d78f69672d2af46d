using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Audit;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.ApiKeys;

/// <summary>Creating, listing and revoking keys: shared by the <c>/v1</c> API, the portal and the admin CLI.</summary>
internal sealed class ApiKeyService(HatboxDbContext db, TimeProvider time, IOptions<ApiKeyOptions> options)
{
    static readonly ApiError KeyNotFound = ApiError.NotFound(ErrorCodes.NotFound, "No such API key in this workspace.", "keyId");

    /// <summary>Makes a key for <paramref name="creatorUserId"/>, who must be a developer or above with API access.</summary>
    public async Task<Outcome<CreatedApiKeyResponse>> CreateAsync(string workspaceId, string creatorUserId, Actor actor,
        CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        var creator = await db.Memberships.AsNoTracking()
            .FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == creatorUserId, cancellationToken);
        if (workspace is null || creator is null)
        {
            return ApiError.NotFound(ErrorCodes.NotFound, "No such workspace.", "workspaceId");
        }
        if (!creator.CanUseApi)
        {
            return ApiKeyErrors.AccessDisabled;
        }
        var name = string.IsNullOrWhiteSpace(request.Name) ? "API key" : request.Name.Trim();
        // Names are shown on the API Tokens screen and in the audit log: bounded, and without control or
        // bidi characters that could disguise one key as another.
        if (name.Length > 100 || name.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "A key name has at most 100 characters, without control characters.", "name");
        }
        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "expiresAt must be in the future.", "expiresAt");
        }
        var active = await db.ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId && k.RevokedAt == null, cancellationToken);
        if (active >= options.Value.MaxPerWorkspace)
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.ApiKeyLimitReached,
                $"This workspace already has {active} active keys, the most it may hold. Revoke one first.");
        }

        var secret = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            Id = Ids.New("key"),
            WorkspaceId = workspaceId,
            CreatedByUserId = creatorUserId,
            Name = name,
            SecretHash = ApiKeySecret.Hash(secret).ToBytes(),
            Hint = ApiKeySecret.Hint(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        db.ApiKeys.Add(key);
        AuditLog.Record(db, time, workspaceId, actor, AuditActions.KeyCreated, key.Id, key.Name);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKeyResponse(key.Id, secret, key.Name, key.Hint, workspaceId, workspace.OrganizationId,
            key.CreatedAt, key.ExpiresAt);
    }

    public Task<List<ApiKeyResponse>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        ToResponses(db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId).OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id))
            .ToListAsync(cancellationToken);

    public Task<ApiKeyResponse?> GetAsync(string workspaceId, string keyId, CancellationToken cancellationToken) =>
        ToResponses(db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId && k.Id == keyId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Revokes at once: the access-change row written with it makes every node drop cached keys.
    /// Admins revoke any key; others only their own.
    /// </summary>
    public async Task<Outcome<ApiKeyResponse>> RevokeAsync(string workspaceId, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.WorkspaceId == workspaceId && k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return KeyNotFound;
        }
        if (!actor.IsCli && key.CreatedByUserId != actor.UserId)
        {
            var role = await db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == actor.UserId)
                .Select(m => (WorkspaceRole?)m.Role).FirstOrDefaultAsync(cancellationToken);
            if (role != WorkspaceRole.Admin)
            {
                // Members see every key of the workspace in the list, so hiding this one behind a 404 would only confuse.
                return ApiError.Forbidden("Only workspace admins may revoke another member's key.");
            }
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            AuditLog.Record(db, time, workspaceId, actor, AuditActions.KeyRevoked, key.Id, key.Name);
            AccessChanges.Record(db, time, AuditActions.KeyRevoked);
            await db.SaveChangesAsync(cancellationToken);
        }
        return (await GetAsync(workspaceId, keyId, cancellationToken))!;
    }

    static IQueryable<ApiKeyResponse> ToResponses(IQueryable<ApiKey> keys) =>
        keys.Select(k =>
            new ApiKeyResponse(k.Id, k.Name, k.Hint, k.CreatedByUserId, k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt));
}
