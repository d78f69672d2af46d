using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// Per-account caps on what costs the operator: each new workspace is a new organization with its
/// own free quota, and each invitation is an e-mail sent in the operator's name.
/// </summary>
internal sealed class AccountCapsOptions
{
    public const string SectionName = "Workspaces";

    /// <summary>New workspaces (each a new organization) one account may create in 24 hours.</summary>
    [Range(1, 100_000)] public int MaxCreationsPerDay { get; set; } = 10;

    /// <summary>Organizations on a plan that stops at its quota (free) that one account may have created; 0 = no limit.</summary>
    [Range(0, 100_000)] public int MaxFreeOrganizationsPerAccount { get; set; }

    /// <summary>Invitations one account may send in an hour, across all its workspaces.</summary>
    [Range(1, 100_000)] public int MaxInvitationsPerHour { get; set; } = 20;
}
