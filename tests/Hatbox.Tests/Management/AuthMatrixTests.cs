using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Features.Workspaces;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>
/// Every management endpoint against every kind of caller. Developers and leaders here have API
/// access; the plain member and the <see cref="Persona.DeveloperWithoutApiAccess"/> do not. The outsider is an
/// admin of another workspace (and so of another organization).
/// </summary>
public sealed class AuthMatrixTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    public enum Persona { Anonymous, Member, Developer, DeveloperWithoutApiAccess, Leader, Admin, Outsider }

    const string NotSignedIn = ErrorCodes.Unauthenticated;
    const string Forbidden = ErrorCodes.Forbidden;
    const string NoApiAccess = ErrorCodes.ApiAccessDisabled;
    const string NotFound = ErrorCodes.NotFound;

    readonly TestServer _server = fixture.Server;

    public static readonly TheoryData<string, Persona, int, string?> Cases = new()
    {
        // Not tied to one workspace: a session is all they need.
        { "GET /v1/me", Persona.Anonymous, 401, NotSignedIn }, { "GET /v1/me", Persona.Member, 200, null },
        { "GET /v1/antiforgery", Persona.Anonymous, 401, NotSignedIn }, { "GET /v1/antiforgery", Persona.Member, 200, null },
        { "GET /v1/workspaces", Persona.Anonymous, 401, NotSignedIn }, { "GET /v1/workspaces", Persona.Member, 200, null },
        { "POST /v1/workspaces", Persona.Anonymous, 401, NotSignedIn }, { "POST /v1/workspaces", Persona.Member, 201, null },
        { "DELETE /v1/sessions/current", Persona.Anonymous, 401, NotSignedIn }, { "DELETE /v1/sessions/current", Persona.Member, 204, null },

        { "GET /v1/workspaces/{ws}", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}", Persona.Member, 200, null },
        { "GET /v1/workspaces/{ws}", Persona.Developer, 200, null },
        { "GET /v1/workspaces/{ws}", Persona.Leader, 200, null },
        { "GET /v1/workspaces/{ws}", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/members", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/members", Persona.Member, 200, null },
        { "GET /v1/workspaces/{ws}/members", Persona.Developer, 200, null },
        { "GET /v1/workspaces/{ws}/members", Persona.Leader, 200, null },
        { "GET /v1/workspaces/{ws}/members", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/members", Persona.Outsider, 404, NotFound },

        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Anonymous, 401, NotSignedIn },
        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Member, 403, Forbidden },
        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Developer, 403, Forbidden },
        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Leader, 403, Forbidden },
        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Admin, 200, null },
        { "PATCH /v1/workspaces/{ws}/members/{owner}", Persona.Outsider, 404, NotFound },

        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Anonymous, 401, NotSignedIn },
        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Member, 403, Forbidden },
        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Developer, 403, Forbidden },
        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Leader, 403, Forbidden },
        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Admin, 204, null },
        { "DELETE /v1/workspaces/{ws}/members/{owner}", Persona.Outsider, 404, NotFound },

        { "POST /v1/workspaces/{ws}/invitations", Persona.Anonymous, 401, NotSignedIn },
        { "POST /v1/workspaces/{ws}/invitations", Persona.Member, 403, Forbidden },
        { "POST /v1/workspaces/{ws}/invitations", Persona.Developer, 403, Forbidden },
        { "POST /v1/workspaces/{ws}/invitations", Persona.Leader, 403, Forbidden },
        { "POST /v1/workspaces/{ws}/invitations", Persona.Admin, 201, null },
        { "POST /v1/workspaces/{ws}/invitations", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/invitations", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/invitations", Persona.Member, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/invitations", Persona.Developer, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/invitations", Persona.Leader, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/invitations", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/invitations", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/keys", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/keys", Persona.Member, 403, NoApiAccess },
        { "GET /v1/workspaces/{ws}/keys", Persona.Developer, 200, null },
        { "GET /v1/workspaces/{ws}/keys", Persona.Leader, 200, null },
        { "GET /v1/workspaces/{ws}/keys", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/keys", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Member, 403, NoApiAccess },
        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Developer, 200, null },
        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Leader, 200, null },
        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/keys/{key}", Persona.Outsider, 404, NotFound },

        { "POST /v1/workspaces/{ws}/keys", Persona.Anonymous, 401, NotSignedIn },
        { "POST /v1/workspaces/{ws}/keys", Persona.Member, 403, NoApiAccess },
        { "POST /v1/workspaces/{ws}/keys", Persona.Developer, 201, null },
        { "POST /v1/workspaces/{ws}/keys", Persona.Leader, 201, null },
        { "POST /v1/workspaces/{ws}/keys", Persona.Admin, 201, null },
        { "POST /v1/workspaces/{ws}/keys", Persona.Outsider, 404, NotFound },

        // The key is the owner's: only an admin may revoke someone else's key.
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Anonymous, 401, NotSignedIn },
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Member, 403, NoApiAccess },
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Developer, 403, Forbidden },
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Leader, 403, Forbidden },
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Admin, 200, null },
        { "POST /v1/workspaces/{ws}/keys/{key}/revocations", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/audit-events", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/audit-events", Persona.Member, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/audit-events", Persona.Developer, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/audit-events", Persona.Leader, 403, Forbidden },
        { "GET /v1/workspaces/{ws}/audit-events", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/audit-events", Persona.Outsider, 404, NotFound },

        // Organization settings belong to the admins of its workspaces; outsiders cannot tell it exists.
        { "GET /v1/organizations/{org}", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/organizations/{org}", Persona.Member, 403, Forbidden },
        { "GET /v1/organizations/{org}", Persona.Developer, 403, Forbidden },
        { "GET /v1/organizations/{org}", Persona.Leader, 403, Forbidden },
        { "GET /v1/organizations/{org}", Persona.Admin, 200, null },
        { "GET /v1/organizations/{org}", Persona.Outsider, 404, NotFound },

        { "PUT /v1/organizations/{org}/plan", Persona.Anonymous, 401, NotSignedIn },
        { "PUT /v1/organizations/{org}/plan", Persona.Member, 403, Forbidden },
        { "PUT /v1/organizations/{org}/plan", Persona.Developer, 403, Forbidden },
        { "PUT /v1/organizations/{org}/plan", Persona.Leader, 403, Forbidden },
        { "PUT /v1/organizations/{org}/plan", Persona.Admin, 200, null },
        { "PUT /v1/organizations/{org}/plan", Persona.Outsider, 404, NotFound },

        // Allowed Domains sit on the API Tokens screen: developer or above with API access.
        { "GET /v1/workspaces/{ws}/domains", Persona.Anonymous, 401, NotSignedIn },
        { "GET /v1/workspaces/{ws}/domains", Persona.Member, 403, NoApiAccess },
        { "GET /v1/workspaces/{ws}/domains", Persona.DeveloperWithoutApiAccess, 403, NoApiAccess },
        { "GET /v1/workspaces/{ws}/domains", Persona.Developer, 200, null },
        { "GET /v1/workspaces/{ws}/domains", Persona.Admin, 200, null },
        { "GET /v1/workspaces/{ws}/domains", Persona.Outsider, 404, NotFound },

        { "POST /v1/workspaces/{ws}/domains", Persona.Anonymous, 401, NotSignedIn },
        { "POST /v1/workspaces/{ws}/domains", Persona.Member, 403, NoApiAccess },
        { "POST /v1/workspaces/{ws}/domains", Persona.DeveloperWithoutApiAccess, 403, NoApiAccess },
        { "POST /v1/workspaces/{ws}/domains", Persona.Developer, 201, null },
        { "POST /v1/workspaces/{ws}/domains", Persona.Admin, 201, null },
        { "POST /v1/workspaces/{ws}/domains", Persona.Outsider, 404, NotFound },

        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.Anonymous, 401, NotSignedIn },
        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.Member, 403, NoApiAccess },
        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.DeveloperWithoutApiAccess, 403, NoApiAccess },
        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.Developer, 204, null },
        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.Admin, 204, null },
        { "DELETE /v1/workspaces/{ws}/domains?origin={domain}", Persona.Outsider, 404, NotFound },

        { "GET /v1/workspaces/{ws}/keys", Persona.DeveloperWithoutApiAccess, 403, NoApiAccess },
        { "POST /v1/workspaces/{ws}/keys", Persona.DeveloperWithoutApiAccess, 403, NoApiAccess },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryEndpointAnswersEachCallerAsTheirRoleAllows(string endpoint, Persona persona, int status, string? code)
    {
        var workspace = await MatrixWorkspace.CreateAsync(_server);
        using var caller = await SignInAsync(workspace, persona);
        var (method, path) = Resolve(endpoint, workspace);

        using var response = await caller.SendAsync(method, path, BodyFor(method, path));

        if (code is null)
        {
            await Person.ReadAsync(response, (HttpStatusCode)status);
        }
        else
        {
            await ErrorAssert.IsErrorAsync(response, (HttpStatusCode)status, code);
        }
    }

    async Task<Person> SignInAsync(MatrixWorkspace workspace, Persona persona)
    {
        if (persona == Persona.Anonymous)
        {
            return Person.Anonymous(_server);
        }
        var portal = await Person.SignUpAsync(_server);
        if (persona == Persona.Outsider)
        {
            await portal.CreateWorkspaceAsync();
            return portal;
        }
        var role = persona switch
        {
            Persona.Admin => WorkspaceRole.Admin,
            Persona.Leader => WorkspaceRole.Leader,
            Persona.Developer or Persona.DeveloperWithoutApiAccess => WorkspaceRole.Developer,
            _ => WorkspaceRole.Member,
        };
        await workspace.AddAsync(_server, portal, role, apiAccess: role != WorkspaceRole.Member && persona != Persona.DeveloperWithoutApiAccess);
        return portal;
    }

    static (HttpMethod Method, string Path) Resolve(string endpoint, MatrixWorkspace workspace)
    {
        var parts = endpoint.Split(' ');
        var path = parts[1].Replace("{ws}", workspace.Id, StringComparison.Ordinal)
            .Replace("{owner}", workspace.OwnerId, StringComparison.Ordinal)
            .Replace("{key}", workspace.OwnerKeyId, StringComparison.Ordinal)
            .Replace("{org}", workspace.OrganizationId, StringComparison.Ordinal)
            .Replace("{domain}", Uri.EscapeDataString(MatrixWorkspace.MatrixDomain), StringComparison.Ordinal);
        return (HttpMethod.Parse(parts[0]), path);
    }

    static object? BodyFor(HttpMethod method, string path) => (method.Method, path.Split('?')[0].Split('/')[^1]) switch
    {
        ("POST", "domains") => new { origin = "https://new.matrix.test" },
        ("PUT", "plan") => new { plan = "pro" },
        ("POST", "workspaces") => new { slug = PortalSteps.NewSlug() },
        ("POST", "invitations") => new { email = Person.NewEmail(), role = "member" },
        ("POST", "keys") => new { name = "matrix key" },
        ("PATCH", _) => new { role = "developer" },
        _ => null,
    };
}
