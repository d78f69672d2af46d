using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Accounts;

/// <summary>Sign-up, sign-in and sign-out with a cookie session, the signed-in user, and the CSRF token.</summary>
internal static class AccountsEndpoints
{
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("").WithTags("Accounts");

        // Starting a session needs no CSRF token (there is no session to ride on) but must come from our own site.
        group.MapPost("/accounts", SignUp).WithName("CreateAccount").AllowAnonymous().DisableAntiforgery().RefuseCrossSite();
        group.MapPost("/sessions", SignIn).WithName("CreateSession").AllowAnonymous().DisableAntiforgery().RefuseCrossSite();
        group.MapPost("/email-verifications", VerifyEmail).WithName("CreateEmailVerification").AllowAnonymous().DisableAntiforgery()
            .RefuseCrossSite();
        group.MapPost("/me/verification-emails", ResendVerificationEmail).WithName("CreateVerificationEmail");
        group.MapPost("/password-reset-requests", RequestPasswordReset).WithName("CreatePasswordResetRequest").AllowAnonymous()
            .DisableAntiforgery().RefuseCrossSite();
        group.MapPost("/password-resets", ResetPassword).WithName("CreatePasswordReset").AllowAnonymous().DisableAntiforgery()
            .RefuseCrossSite();
        group.MapDelete("/sessions/current", SignOut).WithName("DeleteCurrentSession");
        group.MapGet("/me", GetMe).WithName("GetMe");
        group.MapGet("/antiforgery", GetAntiforgeryToken).WithName("GetAntiforgeryToken");
        return group;
    }

    static async Task<Results<Created<UserResponse>, ApiError>> SignUp(
        Body<SignUpRequest> body, AccountService accounts, SessionService sessions, SignInThrottle throttle, HttpContext http,
        CancellationToken ct)
    {
        if (throttle.TryAttempt(http) is { } refused)
        {
            return refused;
        }
        var user = await accounts.SignUpAsync(body.Value.Email, body.Value.Password, body.Value.Name, ct);
        if (!user.Succeeded)
        {
            return user.Error!;
        }
        await sessions.StartAsync(http, user.Value!, ct);
        return TypedResults.Created("/v1/me", UserResponse.From(user.Value!));
    }

    static async Task<Results<Ok<UserResponse>, ApiError>> SignIn(
        Body<SignInRequest> body, AccountService accounts, SessionService sessions, SignInThrottle throttle, HttpContext http,
        CancellationToken ct)
    {
        if (throttle.TryAttempt(http) is { } refused)
        {
            return refused;
        }
        var user = await accounts.SignInAsync(body.Value.Email, body.Value.Password, ct);
        if (!user.Succeeded)
        {
            return user.Error!;
        }
        await sessions.StartAsync(http, user.Value!, ct);
        return TypedResults.Ok(UserResponse.From(user.Value!));
    }

    /// <summary>Not throttled like sign-in: a token has 256 random bits, so there is nothing to guess.</summary>
    static async Task<Results<Ok<UserResponse>, ApiError>> VerifyEmail(
        Body<VerifyEmailRequest> body, EmailVerification verification, CancellationToken ct)
    {
        var user = await verification.VerifyAsync(body.Value.Token, ct);
        return user.Succeeded ? TypedResults.Ok(UserResponse.From(user.Value!)) : user.Error!;
    }

    static async Task<Results<Accepted, ApiError>> ResendVerificationEmail(
        SignedInUser me, EmailVerification verification, SignInThrottle throttle, HttpContext http, CancellationToken ct)
    {
        if (throttle.TryAttempt(http) is { } refused)
        {
            return refused;
        }
        await verification.ResendAsync(me.UserId, ct);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Always 202, account or not: the answer must not tell who has an account here.</summary>
    static async Task<Results<Accepted, ApiError>> RequestPasswordReset(
        Body<PasswordResetRequest> body, PasswordReset reset, SignInThrottle throttle, HttpContext http, CancellationToken ct)
    {
        if (throttle.TryAttempt(http) is { } refused)
        {
            return refused;
        }
        await reset.RequestAsync(body.Value.Email, ct);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Sets the new password, ends every other session of the account, and signs this browser in.</summary>
    static async Task<Results<Ok<UserResponse>, ApiError>> ResetPassword(
        Body<CompletePasswordResetRequest> body, PasswordReset reset, SessionService sessions, SignInThrottle throttle, HttpContext http,
        CancellationToken ct)
    {
        if (throttle.TryAttempt(http) is { } refused)
        {
            return refused;
        }
        var user = await reset.ResetAsync(body.Value.Token, body.Value.Password, ct);
        if (!user.Succeeded)
        {
            return user.Error!;
        }
        await sessions.StartAsync(http, user.Value!, ct);
        return TypedResults.Ok(UserResponse.From(user.Value!));
    }

    static async Task<NoContent> SignOut(SessionService sessions, HttpContext http, CancellationToken ct)
    {
        await sessions.SignOutAsync(http, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<MeResponse>, ApiError>> GetMe(
        SignedInUser me, AccountService accounts, WorkspaceService workspaces, CancellationToken ct)
    {
        var user = await accounts.FindAsync(me.UserId, ct);
        if (user is null)
        {
            return SessionErrors.NotSignedIn;
        }
        return TypedResults.Ok(new MeResponse(UserResponse.From(user), await workspaces.ListForUserAsync(me.UserId, ct)));
    }

    /// <summary>The token is bound to the signed-in user, so fetch it again after signing in.</summary>
    static Ok<AntiforgeryTokenResponse> GetAntiforgeryToken(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Ok(new AntiforgeryTokenResponse(tokens.RequestToken!, tokens.HeaderName!));
    }
}
