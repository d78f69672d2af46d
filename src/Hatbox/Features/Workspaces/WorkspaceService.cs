using System.Text.RegularExpressions;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Workspaces;

/// <summary>Creating workspaces (with their organization) and reading them for a member.</summary>
internal sealed partial class WorkspaceService(HatboxDbContext db, AccountCaps caps, TimeProvider time)
{
    public const string DefaultPlan = "free";
    public const int MaxNameLength = 200;

    /// <summary>Creates an organization and its first workspace, with <paramref name="ownerUserId"/> as admin with API access.</summary>
    public async Task<Outcome<WorkspaceResponse>> CreateAsync(string ownerUserId, CreateWorkspaceRequest request, CancellationToken cancellationToken)
    {
        var slug = request.Slug?.Trim().ToLowerInvariant();
        if (slug is null || !SlugPattern().IsMatch(slug))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid,
                "A workspace slug is 3–63 lower-case letters, digits and dashes, starting with a letter.", "slug");
        }
        if ((InvalidName(request.Name, "name") ?? InvalidName(request.OrganizationName, "organizationName")) is { } badName)
        {
            return badName;
        }
        if (await caps.CheckWorkspaceCreationAsync(new Actor(ownerUserId), cancellationToken) is { } capped)
        {
            return capped;
        }
        if (await db.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken))
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.SlugTaken, "That workspace slug is taken.", "slug");
        }
        var now = time.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(request.Name) ? slug : request.Name.Trim();
        var organization = new Organization
        {
            Id = Ids.New("org"),
            Name = string.IsNullOrWhiteSpace(request.OrganizationName) ? name : request.OrganizationName.Trim(),
            Plan = string.IsNullOrWhiteSpace(request.Plan) ? DefaultPlan : request.Plan.Trim(),
            CreatedByUserId = ownerUserId,
            CreatedAt = now,
        };
        var workspace = new Workspace { Id = Ids.New("ws"), OrganizationId = organization.Id, Slug = slug, Name = name, CreatedAt = now };
        var membership = new Membership
        {
            WorkspaceId = workspace.Id,
            UserId = ownerUserId,
            Role = WorkspaceRole.Admin,
            ApiAccess = true,
            CreatedAt = now,
        };
        db.AddRange(organization, workspace, membership);
        await db.SaveChangesAsync(cancellationToken);
        return ToResponse(workspace, membership);
    }

    public async Task<List<WorkspaceResponse>> ListForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join w in db.Workspaces.AsNoTracking() on m.WorkspaceId equals w.Id
                          where m.UserId == userId
                          orderby w.Slug
                          select new { w, m }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => ToResponse(r.w, r.m));
    }

    /// <summary>The workspace as <paramref name="userId"/> sees it, or null when they are not a member (callers answer 404).</summary>
    public async Task<WorkspaceResponse?> FindForMemberAsync(string workspaceIdOrSlug, string userId, CancellationToken cancellationToken)
    {
        var row = await (from w in db.Workspaces.AsNoTracking()
                         join m in db.Memberships.AsNoTracking() on w.Id equals m.WorkspaceId
                         where (w.Id == workspaceIdOrSlug || w.Slug == workspaceIdOrSlug) && m.UserId == userId
                         select new { w, m }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToResponse(row.w, row.m);
    }

    public Task<Workspace?> FindBySlugAsync(string slug, CancellationToken cancellationToken) =>
        db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Slug == slug, cancellationToken);

    static WorkspaceResponse ToResponse(Workspace w, Membership m) =>
        new(w.Id, w.Slug, w.Name, w.OrganizationId, w.OrganizationId, Roles.Name(m.Role), m.ApiAccess, w.CreatedAt);

    /// <summary>Names are shown in the portal and in e-mails: bounded, and without control or bidi characters that could disguise them.</summary>
    static ApiError? InvalidName(string? name, string param) =>
        name is not null && (name.Length > MaxNameLength || name.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            ? ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"{param} is at most {MaxNameLength} characters, without control characters.", param)
            : null;

    [GeneratedRegex("^[a-z][a-z0-9-]{2,62}$")]
    private static partial Regex SlugPattern();
}
