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

        group.MapPost("/accounts", SignUp).WithName("CreateAccount").AllowAnonymous().DisableAntiforgery();
        group.MapPost("/sessions", SignIn).WithName("CreateSession").AllowAnonymous().DisableAntiforgery();
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
