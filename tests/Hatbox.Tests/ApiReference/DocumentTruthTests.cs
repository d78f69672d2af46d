using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common;
using Hatbox.Features.Workspaces;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.ApiReference;

/// <summary>
/// The document is true: every documented operation is called on a real server, once to succeed and
/// at least once to fail, and every answer must be a status the document lists for it, with a body
/// that matches the document's schema for that status. An operation the document has and these
/// calls do not reach fails the test, as does an answer the document does not describe.
/// </summary>
public sealed class DocumentTruthTests() : ServerTest(DbTestSettings.With())
{
    /// <summary>Operations that cannot succeed by design: S4 refuses every batch.</summary>
    static readonly string[] NeverSucceed = ["ExecuteDbBatch"];

    static readonly string[] IndexedColumns = ["body"];

    DocumentedResponses _document = null!;
    HttpClient _api = null!;
    Person _admin = null!;

    [Fact]
    public async Task EveryDocumentedOperationAnswersOnlyAsDocumented()
    {
        var ct = TestContext.Current.CancellationToken;
        var current = JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json", ct))!.AsObject();
        _document = new DocumentedResponses(current);
        _api = Server.CreateClient();

        try
        {
            var workspaceId = await ManagementAsync();
            await PublicApiAsync(workspaceId);
            await OlderVersionAsync();
        }
        catch (Exception e) when (_faults.Count > 0)
        {
            // A mismatch found earlier usually explains a later step that could not go on.
            Assert.Fail(string.Join("\n", _faults) + "\nThen: " + e);
        }

        Assert.True(_faults.Count == 0, string.Join("\n", _faults));
        var ids = _document.OperationIds.ToList();
        var neverSucceeded = ids.Where(id => !_document.Succeeded.Contains(id) && !NeverSucceed.Contains(id)).ToList();
        var neverFailed = ids.Where(id => !_document.Failed.Contains(id)).ToList();
        Assert.True(neverSucceeded.Count == 0, "Never called with success: " + string.Join(", ", neverSucceeded));
        Assert.True(neverFailed.Count == 0, "Never called with an error: " + string.Join(", ", neverFailed));
    }

    async Task<JsonElement> CallAsync(string operationId, HttpStatusCode expected, HttpMethod method, string path, object? body = null,
        string? key = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = Content(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        configure?.Invoke(request);
        using var response = await _api.SendAsync(request, TestContext.Current.CancellationToken);
        return await ExpectAsync(operationId, expected, response);
    }

    async Task<JsonElement> AsAdminAsync(string operationId, HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        using var response = await _admin.SendAsync(method, path, Content(body));
        return await ExpectAsync(operationId, expected, response);
    }

    /// <summary>Every mismatch of the run, reported together at the end rather than one per run.</summary>
    readonly List<string> _faults = [];

    async Task<JsonElement> ExpectAsync(string operationId, HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            _faults.Add($"{operationId}: expected {(int)expected}, got {(int)response.StatusCode}: {(text.Length > 400 ? text[..400] : text)}");
        }
        try
        {
            return await _document.CheckAsync(operationId, response);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            _faults.Add(e.Message);
            return default;
        }
    }

    static HttpContent? Content(object? body) => body switch
    {
        null => null,
        HttpContent content => content,
        string json => new StringContent(json, Encoding.UTF8, "application/json"),
        _ => JsonContent.Create(body),
    };

    static MultipartFormDataContent File(string name, string text, string? path = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name } };
        if (path is not null)
        {
            form.Add(new StringContent(path), "path");
        }
        return form;
    }

    /// <summary>The /v1 management API, as a signed-in admin; returns the workspace the public calls use.</summary>
    async Task<string> ManagementAsync()
    {
        var email = Person.NewEmail();
        using (var anonymous = Person.Anonymous(Server))
        {
            using var signedUp = await anonymous.SendAsync(HttpMethod.Post, "/v1/accounts", new { email, password = Person.Password, name = "Doc" });
            await ExpectAsync("CreateAccount", HttpStatusCode.Created, signedUp);
            using var badAccount = await anonymous.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = "not an address", password = "x" });
            await ExpectAsync("CreateAccount", HttpStatusCode.BadRequest, badAccount);
            using var wrong = await anonymous.SendAsync(HttpMethod.Post, "/v1/sessions", new { email, password = "not the password" });
            await ExpectAsync("CreateSession", HttpStatusCode.Unauthorized, wrong);
            using var stranger = Person.Anonymous(Server);
            using var me = await stranger.GetAsync("/v1/me");
            await ExpectAsync("GetMe", HttpStatusCode.Unauthorized, me);
            using var versionsAnon = await stranger.SendAsync(HttpMethod.Post, "/v1/me/verification-emails");
            await ExpectAsync("CreateVerificationEmail", HttpStatusCode.Unauthorized, versionsAnon);
            using var badVerification = await stranger.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = "nope" });
            await ExpectAsync("CreateEmailVerification", HttpStatusCode.BadRequest, badVerification);
            using var badResetRequest = await stranger.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", "[1]");
            await ExpectAsync("CreatePasswordResetRequest", HttpStatusCode.BadRequest, badResetRequest);
            using var badReset = await stranger.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token = "nope", password = "a new long password" });
            await ExpectAsync("CreatePasswordReset", HttpStatusCode.BadRequest, badReset);
            using var signOutAnon = await stranger.SendAsync(HttpMethod.Delete, "/v1/sessions/current");
            await ExpectAsync("DeleteCurrentSession", HttpStatusCode.Unauthorized, signOutAnon);
            using var antiforgery = await stranger.GetAsync("/v1/antiforgery");
            await ExpectAsync("GetAntiforgeryToken", HttpStatusCode.Unauthorized, antiforgery);
            // Public to anyone: the only error is the wrong method.
            using var schemaPost = await stranger.SendAsync(HttpMethod.Post, "/v1/flow-schema");
            await ExpectAsync("GetFlowSchema", HttpStatusCode.MethodNotAllowed, schemaPost);
            using var listVersionsAnon = await stranger.GetAsync("/v1/versions");
            await ExpectAsync("ListApiVersions", HttpStatusCode.Unauthorized, listVersionsAnon);
            using var versionsPost = await stranger.SendAsync(HttpMethod.Post, "/v1/versions");
            await ExpectAsync("ListApiVersions", HttpStatusCode.MethodNotAllowed, versionsPost);
            using var preferencesAnon = await stranger.GetAsync("/v1/me/notification-preferences");
            await ExpectAsync("GetNotificationPreferences", HttpStatusCode.Unauthorized, preferencesAnon);
            using var workspacesAnon = await stranger.GetAsync("/v1/workspaces");
            await ExpectAsync("ListWorkspaces", HttpStatusCode.Unauthorized, workspacesAnon);
        }

        var link = await Mailbox.LinkAsync(Server, email, "/verify-email");
        _admin = Person.Anonymous(Server);
        using (var verified = await _admin.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = Mailbox.Token(link) }))
        {
            await ExpectAsync("CreateEmailVerification", HttpStatusCode.OK, verified);
        }
        using (var signedIn = await _admin.SignInAsync(email, Person.Password))
        {
            await ExpectAsync("CreateSession", HttpStatusCode.OK, signedIn);
        }
        await AsAdminAsync("GetAntiforgeryToken", HttpStatusCode.OK, HttpMethod.Get, "/v1/antiforgery");
        await AsAdminAsync("GetMe", HttpStatusCode.OK, HttpMethod.Get, "/v1/me");
        await AsAdminAsync("CreateVerificationEmail", HttpStatusCode.Accepted, HttpMethod.Post, "/v1/me/verification-emails");

        var slug = PortalSteps.NewSlug();
        var workspace = await AsAdminAsync("CreateWorkspace", HttpStatusCode.Created, HttpMethod.Post, "/v1/workspaces",
            new { name = "Docs", slug, organizationName = "Docs org" });
        await AsAdminAsync("CreateWorkspace", HttpStatusCode.Conflict, HttpMethod.Post, "/v1/workspaces", new { name = "Again", slug });
        var ws = workspace.GetProperty("id").GetString()!;
        var org = workspace.GetProperty("organizationId").GetString()!;
        var other = await MatrixWorkspace.CreateAsync(Server);
        await AsAdminAsync("ListWorkspaces", HttpStatusCode.OK, HttpMethod.Get, "/v1/workspaces");
        await AsAdminAsync("GetWorkspace", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}");
        await AsAdminAsync("GetWorkspace", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}");

        // Members and invitations: a second person joins, changes role, and leaves.
        using var member = await Person.SignUpAsync(Server);
        await using (var scope = Server.Services.CreateAsyncScope())
        {
            var invited = await scope.ServiceProvider.GetRequiredService<InvitationService>()
                .InviteAsync(ws, member.Email, "member", new Actor(_admin.UserId), TestContext.Current.CancellationToken);
            Assert.True(invited.Succeeded);
        }
        await AsAdminAsync("ListMembers", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/members");
        await AsAdminAsync("ListMembers", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}/members");
        await AsAdminAsync("UpdateMember", HttpStatusCode.OK, HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{member.UserId}", new { role = "developer" });
        await AsAdminAsync("UpdateMember", HttpStatusCode.BadRequest, HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{member.UserId}", new { role = "emperor" });
        await AsAdminAsync("RemoveMember", HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1/workspaces/{ws}/members/{member.UserId}");
        await AsAdminAsync("RemoveMember", HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/workspaces/{other.Id}/members/{member.UserId}");
        await AsAdminAsync("CreateInvitation", HttpStatusCode.Created, HttpMethod.Post, $"/v1/workspaces/{ws}/invitations",
            new { email = Person.NewEmail(), role = "member" });
        await AsAdminAsync("CreateInvitation", HttpStatusCode.BadRequest, HttpMethod.Post, $"/v1/workspaces/{ws}/invitations",
            new { email = "nobody", role = "member" });
        await AsAdminAsync("ListInvitations", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/invitations");
        await AsAdminAsync("ListInvitations", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}/invitations");

        // Keys.
        var created = await AsAdminAsync("CreateApiKey", HttpStatusCode.Created, HttpMethod.Post, $"/v1/workspaces/{ws}/keys", new { name = "docs" });
        await AsAdminAsync("CreateApiKey", HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/workspaces/{other.Id}/keys", new { name = "x" });
        var keyId = created.GetProperty("keyId").GetString()!;
        ApiKey = created.GetProperty("apiKey").GetString()!;
        var spare = await AsAdminAsync("CreateApiKey", HttpStatusCode.Created, HttpMethod.Post, $"/v1/workspaces/{ws}/keys", new { name = "spare" });
        await AsAdminAsync("ListApiKeys", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/keys");
        await AsAdminAsync("ListApiKeys", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}/keys");
        await AsAdminAsync("GetApiKey", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/keys/{keyId}");
        await AsAdminAsync("GetApiKey", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{ws}/keys/{other.OwnerKeyId}");
        await AsAdminAsync("RevokeApiKey", HttpStatusCode.OK, HttpMethod.Post, $"/v1/workspaces/{ws}/keys/{spare.GetProperty("keyId").GetString()}/revocations");
        await AsAdminAsync("RevokeApiKey", HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/workspaces/{ws}/keys/{other.OwnerKeyId}/revocations");
        await AsAdminAsync("ListAuditEvents", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/audit-events");
        await AsAdminAsync("ListAuditEvents", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}/audit-events");

        // Domains.
        await AsAdminAsync("AddAllowedDomain", HttpStatusCode.Created, HttpMethod.Post, $"/v1/workspaces/{ws}/domains", new { origin = "https://app.docs.test" });
        await AsAdminAsync("AddAllowedDomain", HttpStatusCode.BadRequest, HttpMethod.Post, $"/v1/workspaces/{ws}/domains", new { origin = "ftp://x/y" });
        await AsAdminAsync("ListAllowedDomains", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/domains");
        await AsAdminAsync("ListAllowedDomains", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{other.Id}/domains");
        await AsAdminAsync("RemoveAllowedDomain", HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1/workspaces/{ws}/domains?origin=https://app.docs.test");
        await AsAdminAsync("RemoveAllowedDomain", HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/workspaces/{other.Id}/domains?origin={MatrixWorkspace.MatrixDomain}");

        // Organization, plan, versions, usage.
        await AsAdminAsync("GetOrganization", HttpStatusCode.OK, HttpMethod.Get, $"/v1/organizations/{org}");
        await AsAdminAsync("GetOrganization", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/organizations/{other.OrganizationId}");
        await AsAdminAsync("SetOrganizationPlan", HttpStatusCode.OK, HttpMethod.Put, $"/v1/organizations/{org}/plan", new { plan = "free" });
        await AsAdminAsync("SetOrganizationPlan", HttpStatusCode.NotFound, HttpMethod.Put, $"/v1/organizations/{other.OrganizationId}/plan", new { plan = "free" });
        await AsAdminAsync("ListApiVersions", HttpStatusCode.OK, HttpMethod.Get, "/v1/versions");
        await AsAdminAsync("SetOrganizationApiVersion", HttpStatusCode.OK, HttpMethod.Put, $"/v1/organizations/{org}/api-version", new { version = "2025-10-28" });
        // Rolling back needs a previous version, which this organization never had (yet: see the end).
        await AsAdminAsync("RollBackOrganizationApiVersion", HttpStatusCode.Conflict, HttpMethod.Post, $"/v1/organizations/{org}/api-version/rollbacks");
        await AsAdminAsync("SetOrganizationApiVersion", HttpStatusCode.BadRequest, HttpMethod.Put, $"/v1/organizations/{org}/api-version", new { version = "1999-01-01" });
        await AsAdminAsync("RollBackOrganizationApiVersion", HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/organizations/{other.OrganizationId}/api-version/rollbacks");
        await AsAdminAsync("GetNotificationPreferences", HttpStatusCode.OK, HttpMethod.Get, "/v1/me/notification-preferences");
        await AsAdminAsync("SetNotificationPreferences", HttpStatusCode.OK, HttpMethod.Put, "/v1/me/notification-preferences", new { newVersions = true });
        await AsAdminAsync("SetNotificationPreferences", HttpStatusCode.BadRequest, HttpMethod.Put, "/v1/me/notification-preferences", "{\"newVersions\": \"maybe\"}");
        await AsAdminAsync("GetUsage", HttpStatusCode.OK, HttpMethod.Get, $"/v1/organizations/{org}/usage");
        await AsAdminAsync("GetUsage", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/organizations/{other.OrganizationId}/usage");
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await AsAdminAsync("GetBillingStatement", HttpStatusCode.OK, HttpMethod.Get, $"/v1/organizations/{org}/billing/statements/{month}");
        await AsAdminAsync("GetBillingStatement", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/organizations/{other.OrganizationId}/billing/statements/{month}");
        await AsAdminAsync("GetFlowSchema", HttpStatusCode.OK, HttpMethod.Get, "/v1/flow-schema");
        _workspaceId = ws;
        _other = other;
        return ws;
    }

    string ApiKey { get; set; } = "";

    string _workspaceId = "";

    MatrixWorkspace _other = null!;

    async Task PublicApiAsync(string ws)
    {
        var key = ApiKey;
        // Health and authentication.
        await CallAsync("GetServerInfo", HttpStatusCode.OK, HttpMethod.Get, "/");
        await CallAsync("GetServerInfo", HttpStatusCode.BadRequest, HttpMethod.Get, "/", configure: r => r.Headers.Add("WorqHat-Version", "1999-01-01"));
        await CallAsync("CheckHealth", HttpStatusCode.OK, HttpMethod.Get, "/health");
        await CallAsync("CheckHealth", HttpStatusCode.BadRequest, HttpMethod.Get, "/health", configure: r => r.Headers.Add("WorqHat-Version", "1999-01-01"));
        await CallAsync("CheckApiKey", HttpStatusCode.OK, HttpMethod.Post, "/authentication", key: key);
        await CallAsync("CheckApiKey", HttpStatusCode.Unauthorized, HttpMethod.Post, "/authentication");

        // Database.
        await CallAsync("ExecuteDbQuery", HttpStatusCode.OK, HttpMethod.Post, "/db/query",
            new { query = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, score REAL)" }, key);
        await CallAsync("ExecuteDbQuery", HttpStatusCode.OK, HttpMethod.Post, "/db/query",
            new { query = "SELECT id, body FROM notes WHERE id > {min}", @params = new { min = 0 } }, key);
        await CallAsync("ExecuteDbQuery", HttpStatusCode.BadRequest, HttpMethod.Post, "/db/query", new { query = "SELEC nonsense" }, key);
        foreach (var body in new[] { "Rain all morning and a cold afternoon", "Sunny skies with a light breeze", "Heavy rain and strong winds tonight",
            "Snow overnight and icy roads", "Clear warm weather for a walk", "Compile the crate with link-time optimisation" })
        {
            await CallAsync("InsertDbRecord", HttpStatusCode.OK, HttpMethod.Post, "/db/insert", new { table = "notes", data = new { body, score = body.Length } }, key);
        }
        await CallAsync("InsertDbRecord", HttpStatusCode.NotFound, HttpMethod.Post, "/db/insert", new { table = "ghosts", data = new { body = "x" } }, key);
        await CallAsync("UpdateDbRecords", HttpStatusCode.OK, HttpMethod.Put, "/db/update", new { table = "notes", data = new { score = 1 }, where = new { id = 1 } }, key);
        await CallAsync("UpdateDbRecords", HttpStatusCode.BadRequest, HttpMethod.Put, "/db/update", new { table = "notes", data = new { score = 1 } }, key);
        await CallAsync("ExecuteDbBatch", HttpStatusCode.BadRequest, HttpMethod.Post, "/db/batch", new { operations = Array.Empty<object>() }, key);
        await CallAsync("ListDbTables", HttpStatusCode.OK, HttpMethod.Get, "/db/tables", key: key);
        await CallAsync("ListDbTables", HttpStatusCode.Unauthorized, HttpMethod.Get, "/db/tables", key: "wh_live_notakey_0000");
        await CallAsync("GetDbTableRowCount", HttpStatusCode.OK, HttpMethod.Get, "/db/tables/notes/count", key: key);
        await CallAsync("GetDbTableRowCount", HttpStatusCode.NotFound, HttpMethod.Get, "/db/tables/ghosts/count", key: key);
        await CallAsync("GetDbTableSchema", HttpStatusCode.OK, HttpMethod.Get, "/db/tables/notes/schema", key: key);
        await CallAsync("GetDbTableSchema", HttpStatusCode.NotFound, HttpMethod.Get, "/db/tables/ghosts/schema", key: key);

        // AI over data, with the real embedding model.
        await AsAdminAsync("ListSearchIndexes", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/search-indexes");
        await AsAdminAsync("ListSearchIndexes", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{_other.Id}/search-indexes");
        await AsAdminAsync("ConfigureSearchIndex", HttpStatusCode.OK, HttpMethod.Put, $"/v1/workspaces/{ws}/search-indexes/notes", new { columns = IndexedColumns });
        await AsAdminAsync("ConfigureSearchIndex", HttpStatusCode.NotFound, HttpMethod.Put, $"/v1/workspaces/{ws}/search-indexes/ghosts", new { columns = IndexedColumns });
        for (var attempt = 0; ; attempt++)
        {
            var search = await CallAsync("DbSemanticSearch", HttpStatusCode.OK, HttpMethod.Post, "/db/semantic-search", new { table = "notes", query = "weather", limit = 3 }, key);
            if (search.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready" || attempt > 200)
            {
                break;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await CallAsync("DbSemanticSearch", HttpStatusCode.NotFound, HttpMethod.Post, "/db/semantic-search", new { table = "ghosts", query = "x" }, key);
        await CallAsync("DbHybridSearch", HttpStatusCode.OK, HttpMethod.Post, "/db/hybrid-search", new { table = "notes", query = "rain" }, key);
        await CallAsync("DbHybridSearch", HttpStatusCode.BadRequest, HttpMethod.Post, "/db/hybrid-search", new { table = "notes" }, key);
        await CallAsync("DbFindSimilar", HttpStatusCode.OK, HttpMethod.Post, "/db/find-similar", new { table = "notes", record_id = 1 }, key);
        await CallAsync("DbFindSimilar", HttpStatusCode.NotFound, HttpMethod.Post, "/db/find-similar", new { table = "notes", record_id = 999 }, key);
        await CallAsync("DbRecommend", HttpStatusCode.OK, HttpMethod.Post, "/db/recommend", new { table = "notes", record_id = 1 }, key);
        await CallAsync("DbRecommend", HttpStatusCode.NotFound, HttpMethod.Post, "/db/recommend", new { table = "ghosts", record_id = 1 }, key);
        await CallAsync("DbCluster", HttpStatusCode.OK, HttpMethod.Post, "/db/cluster", new { table = "notes", num_clusters = 2 }, key);
        await CallAsync("DbCluster", HttpStatusCode.NotFound, HttpMethod.Post, "/db/cluster", new { table = "ghosts" }, key);
        await CallAsync("DbDetectAnomalies", HttpStatusCode.OK, HttpMethod.Post, "/db/detect-anomalies", new { table = "notes" }, key);
        await CallAsync("DbDetectAnomalies", HttpStatusCode.NotFound, HttpMethod.Post, "/db/detect-anomalies", new { table = "ghosts" }, key);
        await CallAsync("ProcessDbNlQuery", HttpStatusCode.OK, HttpMethod.Post, "/db/nl-query", new { question = "how many notes are there" }, key);
        await CallAsync("ProcessDbNlQuery", HttpStatusCode.BadRequest, HttpMethod.Post, "/db/nl-query", new { }, key);
        await CallAsync("DeleteDbRecords", HttpStatusCode.OK, HttpMethod.Delete, "/db/delete", new { table = "notes", where = new { id = 6 } }, key);
        await CallAsync("DeleteDbRecords", HttpStatusCode.BadRequest, HttpMethod.Delete, "/db/delete", new { table = "notes" }, key);

        // Storage.
        var uploaded = await CallAsync("UploadFile", HttpStatusCode.OK, HttpMethod.Post, "/storage/upload", File("hello.txt", "hello", "docs"), key);
        await CallAsync("UploadFile", HttpStatusCode.UnsupportedMediaType, HttpMethod.Post, "/storage/upload", new { file = "x" }, key);
        var file = uploaded.GetProperty("file");
        var fileId = file.GetProperty("id").GetString()!;
        await CallAsync("GetFile", HttpStatusCode.OK, HttpMethod.Get, $"/storage/fetch/{fileId}", key: key);
        await CallAsync("GetFile", HttpStatusCode.NotFound, HttpMethod.Get, "/storage/fetch/file_nothere", key: key);
        await CallAsync("GetFileByPath", HttpStatusCode.OK, HttpMethod.Get, $"/storage/fetch-by-path?filepath={Uri.EscapeDataString(file.GetProperty("path").GetString()!)}", key: key);
        await CallAsync("GetFileByPath", HttpStatusCode.NotFound, HttpMethod.Get, "/storage/fetch-by-path?filepath=docs/nothing.txt", key: key);
        var url = new Uri(file.GetProperty("url").GetString()!);
        await CallAsync("DownloadFile", HttpStatusCode.OK, HttpMethod.Get, url.PathAndQuery);
        await CallAsync("DownloadFileHead", HttpStatusCode.OK, HttpMethod.Head, url.PathAndQuery);
        var forged = url.PathAndQuery[..^4] + "AAAA";
        await CallAsync("DownloadFile", HttpStatusCode.Forbidden, HttpMethod.Get, forged);
        await CallAsync("DownloadFileHead", HttpStatusCode.Forbidden, HttpMethod.Head, forged);
        await CallAsync("DeleteFile", HttpStatusCode.OK, HttpMethod.Delete, $"/storage/delete/{fileId}", key: key);
        await CallAsync("DeleteFile", HttpStatusCode.NotFound, HttpMethod.Delete, $"/storage/delete/{fileId}", key: key);

        // Flows, defined through /v1 and triggered with the key.
        var flow = await AsAdminAsync("CreateFlow", HttpStatusCode.Created, HttpMethod.Post, $"/v1/workspaces/{ws}/flows",
            """{ "name": "Greet", "steps": [ { "id": "greet", "uses": "script", "with": { "code": "return 'hi ' + input.name;" } } ] }""");
        await AsAdminAsync("CreateFlow", HttpStatusCode.BadRequest, HttpMethod.Post, $"/v1/workspaces/{ws}/flows",
            """{ "name": "x", "steps": [ { "id": "a", "uses": "teleport" } ] }""");
        var flowId = flow.GetProperty("flowId").GetString()!;
        await AsAdminAsync("ListFlows", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/flows");
        await AsAdminAsync("ListFlows", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{_other.Id}/flows");
        await AsAdminAsync("GetFlow", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/flows/{flowId}");
        await AsAdminAsync("GetFlow", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{ws}/flows/flow_nothere");
        await AsAdminAsync("UpdateFlow", HttpStatusCode.OK, HttpMethod.Put, $"/v1/workspaces/{ws}/flows/{flowId}",
            """{ "name": "Greet v2", "steps": [ { "id": "greet", "uses": "script", "with": { "code": "return 'hello ' + input.name;" } } ] }""");
        await AsAdminAsync("UpdateFlow", HttpStatusCode.NotFound, HttpMethod.Put, $"/v1/workspaces/{ws}/flows/flow_nothere",
            """{ "name": "x", "steps": [ { "id": "a", "uses": "script", "with": { "code": "return 1;" } } ] }""");
        var run = await CallAsync("TriggerFlowWithPayload", HttpStatusCode.OK, HttpMethod.Post, $"/flows/trigger/{flowId}", new { name = "Ada" }, key);
        await CallAsync("TriggerFlowWithPayload", HttpStatusCode.NotFound, HttpMethod.Post, "/flows/trigger/flow_nothere", new { name = "Ada" }, key);
        await CallAsync("TriggerFlowWithFile", HttpStatusCode.OK, HttpMethod.Post, $"/flows/file/{flowId}", File("input.txt", "data"), key);
        await CallAsync("TriggerFlowWithFile", HttpStatusCode.NotFound, HttpMethod.Post, "/flows/file/flow_nothere", File("input.txt", "data"), key);
        var runId = run.GetProperty("analytics_id").GetString()!;
        await CallAsync("GetFlowRun", HttpStatusCode.OK, HttpMethod.Get, $"/flows/runs/{runId}", key: key);
        await CallAsync("GetFlowRun", HttpStatusCode.NotFound, HttpMethod.Get, "/flows/runs/run_nothere", key: key);
        await CallAsync("GetFlowMetrics", HttpStatusCode.OK, HttpMethod.Get, "/flows/metrics", key: key);
        await CallAsync("GetFlowMetrics", HttpStatusCode.Unauthorized, HttpMethod.Get, "/flows/metrics");
        await AsAdminAsync("ListFlowRuns", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/flows/{flowId}/runs");
        await AsAdminAsync("ListFlowRuns", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{_other.Id}/flows/{flowId}/runs");
        await AsAdminAsync("GetFlowRunDetail", HttpStatusCode.OK, HttpMethod.Get, $"/v1/workspaces/{ws}/flows/runs/{runId}");
        await AsAdminAsync("GetFlowRunDetail", HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/workspaces/{ws}/flows/runs/run_nothere");
        await AsAdminAsync("DeleteFlow", HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1/workspaces/{ws}/flows/{flowId}");
        await AsAdminAsync("DeleteFlow", HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/workspaces/{ws}/flows/{flowId}");

        // Last, since it moves the organization between versions: pinned to the older one (as the admin
        // CLI may), moved up through /v1, and rolled back.
        using var orgs = await _admin.GetAsync($"/v1/workspaces/{ws}");
        var org = (await Person.ReadAsync(orgs, HttpStatusCode.OK)).GetProperty("organizationId").GetString()!;
        await using (var scope = Server.Services.CreateAsyncScope())
        {
            var pinned = await scope.ServiceProvider.GetRequiredService<Hatbox.Features.Versions.ApiVersionService>()
                .SetAsync(org, "2025-06-01", allowDowngrade: true, TestContext.Current.CancellationToken);
            Assert.True(pinned.Succeeded);
        }
        await AsAdminAsync("SetOrganizationApiVersion", HttpStatusCode.OK, HttpMethod.Put, $"/v1/organizations/{org}/api-version", new { version = "2025-10-28" });
        await AsAdminAsync("RollBackOrganizationApiVersion", HttpStatusCode.OK, HttpMethod.Post, $"/v1/organizations/{org}/api-version/rollbacks");

        // Signing out, then resetting the password by e-mail.
        await AsAdminAsync("DeleteCurrentSession", HttpStatusCode.NoContent, HttpMethod.Delete, "/v1/sessions/current");
        using var anonymous = Person.Anonymous(Server);
        using (var asked = await anonymous.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", new { email = _admin.Email }))
        {
            await ExpectAsync("CreatePasswordResetRequest", HttpStatusCode.Accepted, asked);
        }
        var reset = await Mailbox.LinkAsync(Server, _admin.Email, "/reset-password");
        using (var done = await anonymous.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token = Mailbox.Token(reset), password = "another long password" }))
        {
            await ExpectAsync("CreatePasswordReset", HttpStatusCode.OK, done);
        }
    }

    /// <summary>The older version's document is true for that version too: its GET /authentication and its answer's shape.</summary>
    async Task OlderVersionAsync()
    {
        var older = JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json?version=2025-06-01", TestContext.Current.CancellationToken))!.AsObject();
        var document = new DocumentedResponses(older);
        void Pin(HttpRequestMessage r) => r.Headers.Add("WorqHat-Version", "2025-06-01");
        foreach (var (id, method) in new[] { ("CheckApiKey", HttpMethod.Post), ("CheckApiKeyWithGet", HttpMethod.Get) })
        {
            using var ok = new HttpRequestMessage(method, "/authentication");
            ok.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            Pin(ok);
            using var answer = await _api.SendAsync(ok, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var body = await document.CheckAsync(id, answer);
            Assert.True(body.TryGetProperty("organization", out _));
            using var refused = new HttpRequestMessage(method, "/authentication");
            Pin(refused);
            using var missing = await _api.SendAsync(refused, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            await document.CheckAsync(id, missing);
        }
        _ = _workspaceId;
    }
}
