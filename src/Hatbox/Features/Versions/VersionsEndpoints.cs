using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Versions;

/// <summary>
/// The version catalog with its changelog, an organization's upgrade and rollback (admins), and the
/// signed-in user's subscription to new-version e-mails.
/// </summary>
internal static class VersionsEndpoints
{
    public static RouteGroupBuilder MapVersions(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("").WithTags("Versions");

        group.MapGet("/versions", ListVersions).WithName("ListApiVersions");
        group.MapPut("/organizations/{organizationId}/api-version", SetApiVersion).WithName("SetOrganizationApiVersion");
        group.MapPost("/organizations/{organizationId}/api-version/rollbacks", RollBackApiVersion).WithName("RollBackOrganizationApiVersion");
        group.MapGet("/me/notification-preferences", GetNotificationPreferences).WithName("GetNotificationPreferences");
        group.MapPut("/me/notification-preferences", SetNotificationPreferences).WithName("SetNotificationPreferences");
        return group;
    }

    static async Task<Ok<VersionCatalogResponse>> ListVersions(SignedInUser me, ApiVersionService versions, CancellationToken ct) =>
        TypedResults.Ok(ApiVersionService.Catalog(await versions.ForUserAsync(me.UserId, ct)));

    static async Task<Results<Ok<OrganizationVersionResponse>, ApiError>> SetApiVersion(
        string organizationId, Body<SetApiVersionRequest> body, SignedInUser me, OrganizationAccess access, ApiVersionService versions,
        CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        var result = await versions.SetAsync(organizationId, body.Value.Version, allowDowngrade: false, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!;
    }

    static async Task<Results<Ok<OrganizationVersionResponse>, ApiError>> RollBackApiVersion(
        string organizationId, SignedInUser me, OrganizationAccess access, ApiVersionService versions, CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        var result = await versions.RollBackAsync(organizationId, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!;
    }

    static async Task<Results<Ok<NotificationPreferences>, ApiError>> GetNotificationPreferences(
        SignedInUser me, AccountService accounts, CancellationToken ct) =>
        await accounts.FindAsync(me.UserId, ct) is { } user
            ? TypedResults.Ok(new NotificationPreferences(user.NotifyNewVersions))
            : SessionErrors.NotSignedIn;

    static async Task<Results<Ok<NotificationPreferences>, ApiError>> SetNotificationPreferences(
        Body<SetNotificationPreferencesRequest> body, SignedInUser me, AccountService accounts, CancellationToken ct) =>
        body.Value.NewVersions is { } newVersions
            ? TypedResults.Ok(new NotificationPreferences(await accounts.SetNewVersionNoticesAsync(me.UserId, newVersions, ct)))
            : ApiError.BadRequest(ErrorCodes.ParameterMissing, "newVersions (true or false) is required.", "newVersions");
}
