using System.Security.Claims;
using System.Text.Encodings.Web;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// The key stage of the pipeline (DESIGN.md §5) as an authentication scheme: every request stands
/// alone on its own key. Refusals carry their own code (missing, invalid, revoked, expired, …).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier verifier,
    KeyUsageRecorder usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ApiKeyHeaders.Read(Request);
        if (presented.Error is { } headerError)
        {
            return Refuse(headerError);
        }

        var verified = await verifier.VerifyAsync(presented.Key!, Context.RequestAborted);
        if (verified.Outcome != ApiKeyVerifier.Outcome.Valid)
        {
            return Refuse(verified.Outcome switch
            {
                ApiKeyVerifier.Outcome.Revoked => ApiKeyErrors.Revoked,
                ApiKeyVerifier.Outcome.Expired => ApiKeyErrors.Expired,
                _ => ApiKeyErrors.Invalid,
            });
        }

        var caller = verified.Caller!;
        if (presented.OrgKey is { } orgKey && !string.Equals(orgKey, caller.OrganizationId, StringComparison.Ordinal))
        {
            return Refuse(ApiKeyErrors.OrgKeyMismatch);
        }

        Context.Features.Set(caller);
        usage.Touch(caller.KeyId);
        var identity = new ClaimsIdentity(
            [
                new Claim(ApiClaims.KeyId, caller.KeyId),
                new Claim(ApiClaims.WorkspaceId, caller.WorkspaceId),
                new Claim(ApiClaims.OrganizationId, caller.OrganizationId),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, Context.Features.Get<Refusal>()?.Error ?? ApiKeyErrors.Missing);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, ApiKeyErrors.AccessDisabled);

    AuthenticateResult Refuse(ApiError error)
    {
        Context.Features.Set(new Refusal(error));
        return AuthenticateResult.Fail(error.Code);
    }

    sealed record Refusal(ApiError Error);
}
