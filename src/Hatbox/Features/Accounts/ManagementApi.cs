namespace Hatbox.Features.Accounts;

/// <summary>
/// The <c>/v1</c> management API the portal uses (DESIGN.md §3): every route needs a signed-in
/// session unless it says otherwise, and every write a CSRF token. Features map their routes on it.
/// </summary>
internal static class ManagementApi
{
    public static RouteGroupBuilder MapManagementApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1")
            .RequireAuthorization(SessionDefaults.Policy)
            .AddEndpointFilter<AntiforgeryFilter>();
}
