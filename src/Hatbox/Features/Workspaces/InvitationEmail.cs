using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.Notifications;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// The e-mail an invitation sends to the invited address, queued in the outbox with the invitation.
/// Its link is the proof of the address that accepting needs (issue 17.1): for an account that has
/// not confirmed its address, a single-use confirmation link (opening it confirms the address and
/// accepts); for an address with no account, the sign-up page, whose own confirmation e-mail
/// accepts; for a confirmed account, which joined at once, the sign-in page.
/// </summary>
internal sealed class InvitationEmail(
    HatboxDbContext db, AccountTokens tokens, AccountLinks links, TimeProvider time, IOptions<AccountOptions> options)
{
    /// <summary>Adds the e-mail to the unit of work; the caller saves it with the invitation.</summary>
    public Task QueueAsync(Invitation invitation, Workspace workspace, string inviterName, User? invitee,
        CancellationToken cancellationToken)
    {
        var role = Roles.Name(invitation.Role);
        var (action, link) = invitee switch
        {
            null => ("Create your Hatbox account with this address to accept", links.SignUp(invitation.Email)),
            { EmailVerifiedAt: null } => ("Confirm that this address is yours to accept", links.VerifyEmail(
                tokens.Issue(invitee.Id, AccountTokenPurposes.VerifyEmail, invitee.Email,
                    TimeSpan.FromHours(options.Value.VerificationLinkHours)))),
            _ => ("You are a member now. Sign in to open it", links.SignIn),
        };
        return Outbox.EnqueueAsync(db, time, $"invitation:{invitation.Id}", invitation.Email,
            $"{inviterName} invited you to {workspace.Name} on Hatbox",
            $"""
            Hello,

            {inviterName} invited {invitation.Email} to the workspace {workspace.Name} ({workspace.Slug}) as {role}.

            {action}:

            {link}

            If you did not expect this invitation, ignore this e-mail: nobody joins without opening it.
            """, cancellationToken);
    }
}
