using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Workspaces;

/// <summary>Invitations by e-mail: each sends one to the address, and stays pending until its owner proves it.</summary>
internal sealed class InvitationService(HatboxDbContext db, AccountCaps caps, InvitationEmail email, TimeProvider time)
{
    public sealed record InvitationResponse(string Id, string WorkspaceId, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset? AcceptedAt);

    /// <summary>Invites an e-mail address with a role (<c>member</c> when none is named).</summary>
    public async Task<Outcome<InvitationResponse>> InviteAsync(string workspaceId, string? address, string? roleName, Actor actor,
        CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(roleName ?? "member", out var role))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "role is one of admin, leader, developer, member.", "role");
        }
        var normalized = AccountService.NormalizeEmail(address);
        if (normalized is null)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "A valid e-mail address is required.", "email");
        }
        if (await caps.CheckInvitationAsync(actor, cancellationToken) is { } capped)
        {
            return capped;
        }
        var alreadyMember = await (from m in db.Memberships
                                   join u in db.Users on m.UserId equals u.Id
                                   where m.WorkspaceId == workspaceId && u.Email == normalized
                                   select m).AnyAsync(cancellationToken);
        if (alreadyMember)
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.Conflict,
                "That person is already a member of this workspace.", "email");
        }
        var invitation = new Invitation
        {
            Id = Ids.New("inv"),
            WorkspaceId = workspaceId,
            Email = normalized,
            Role = role,
            InvitedByUserId = actor.UserId ?? "cli",
            CreatedAt = time.GetUtcNow(),
        };
        db.Invitations.Add(invitation);
        AuditLog.Record(db, time, workspaceId, actor, AuditActions.InvitationSent, invitation.Id, $"{normalized} as {Roles.Name(role)}");
        var existing = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        // Only an owner who proved the address joins at once; anyone else waits for that proof.
        if (existing is { EmailVerifiedAt: not null })
        {
            Accept(invitation, existing);
        }
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspaceId, cancellationToken);
        var inviterName = actor.UserId is null ? null
            : await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken);
        // Queued in the same save as the invitation: there is never one without the other.
        await email.QueueAsync(invitation, workspace, inviterName ?? "An administrator", existing, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ToResponse(invitation);
    }

    public async Task<List<InvitationResponse>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.Invitations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId)
            .OrderByDescending(i => i.CreatedAt).ToListAsync(cancellationToken))
        .ConvertAll(ToResponse);

    /// <summary>
    /// Turns the user's pending invitations into memberships once the address is verified (the
    /// caller saves): an invitation goes to an address, and only its proven owner may take it.
    /// </summary>
    public async Task AcceptPendingAsync(User user, CancellationToken cancellationToken)
    {
        if (user.EmailVerifiedAt is null)
        {
            return;
        }
        var pending = await db.Invitations.Where(i => i.Email == user.Email && i.AcceptedAt == null).ToListAsync(cancellationToken);
        foreach (var invitation in pending)
        {
            var isMember = await db.Memberships.AnyAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == user.Id, cancellationToken);
            if (!isMember)
            {
                Accept(invitation, user);
            }
            invitation.AcceptedAt ??= time.GetUtcNow();
        }
    }

    void Accept(Invitation invitation, User user)
    {
        invitation.AcceptedAt = time.GetUtcNow();
        db.Memberships.Add(new Membership
        {
            WorkspaceId = invitation.WorkspaceId,
            UserId = user.Id,
            Role = invitation.Role,
            ApiAccess = false,
            CreatedAt = time.GetUtcNow(),
        });
        AuditLog.Record(db, time, invitation.WorkspaceId, new Actor(user.Id), AuditActions.InvitationAccepted, invitation.Id, user.Email);
    }

    static InvitationResponse ToResponse(Invitation i) =>
        new(i.Id, i.WorkspaceId, i.Email, Roles.Name(i.Role), i.CreatedAt, i.AcceptedAt);
}
