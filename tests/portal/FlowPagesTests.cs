using System.Net;
using System.Text.Json;
using Hatbox.Features.Flows;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>
/// The flows pages: the editor saves through the same validator as <c>/v1</c> (faults by JSON path
/// and line, nothing saved), runs triggered through the API appear with their steps, and only
/// developers of the workspace reach any of it.
/// </summary>
public sealed class FlowPagesTests(Chromium chromium)
{
    const string Valid = """
        {
          "name": "Greeter",
          "steps": [
            { "id": "greet", "uses": "script", "with": { "code": "return 'Hello ' + input.name;" } }
          ]
        }
        """;

    // Line 5 holds the step kind that does not exist.
    const string UnknownKind = """
        {
          "name": "Greeter",
          "steps": [
            { "id": "greet", "uses": "script", "with": { "code": "return 'Hello ' + input.name;" } },
            { "id": "shout", "uses": "teleport", "with": {} }
          ]
        }
        """;

    const string Fixed = """
        {
          "name": "Greeter",
          "steps": [
            { "id": "greet", "uses": "script", "with": { "code": "return 'Hello ' + input.name;" } },
            { "id": "padding", "uses": "script", "with": { "code": "return 'x'.repeat(30000);" } },
            { "id": "check", "uses": "script", "with": { "code": "if (input.fail) throw new Error('told to fail'); return steps.greet.output;" } }
          ]
        }
        """;

    [Fact]
    public async Task AFlowIsWrittenInTheEditorABrokenVersionSavesNothingAndARunShowsItsStepsAndTheFailedStepsError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "flows");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        var flows = $"/w/{workspace.Slug}/workspace/flows";
        await browser.SignInAsync(owner.Email, flows);
        Assert.Equal(1, await browser.Page.Locator("#no-flows").CountAsync());

        // Create: version 1.
        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "New flow" }).ClickAsync();
        var editor = browser.Page.GetByLabel("Flow document (JSON)");
        await editor.FillAsync(Valid);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create flow" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "version 1" }).WaitForAsync();
        var flowId = await browser.Page.Locator("#flow-id").InnerTextAsync();
        Assert.Equal($"{flows}/{flowId}", new Uri(browser.Page.Url).AbsolutePath);
        Assert.Equal("1", await browser.Page.Locator("#flow-version").InnerTextAsync());
        await browser.StepAsync("created");

        // A step kind that does not exist: the fault's path and line next to the document, the text as typed, nothing saved.
        await editor.FillAsync(UnknownKind);
        var refused = browser.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        Assert.Equal(400, (await refused).Status);
        var fault = browser.Page.Locator("#flow-faults li[data-path='/steps/1/uses']");
        await fault.WaitForAsync();
        Assert.Equal("5", await fault.GetAttributeAsync("data-line"));
        Assert.Equal(UnknownKind, await editor.InputValueAsync());
        await browser.StepAsync("unknown-kind-refused");

        // Not JSON at all: one fault at the root, with the parser's line.
        await editor.FillAsync("{\n  \"name\": \"Greeter\",\n  \"steps\": [ oops ]\n}");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        Assert.Equal("3", await browser.Page.Locator("#flow-faults li[data-path='/']").GetAttributeAsync("data-line"));
        Assert.Equal(1, await StoredVersionAsync(server, workspace.Id, flowId));

        // Fixed: version 2.
        await editor.FillAsync(Fixed);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "version 2" }).WaitForAsync();
        Assert.Equal("2", await browser.Page.Locator("#flow-version").InnerTextAsync());
        Assert.Equal(2, await StoredVersionAsync(server, workspace.Id, flowId));

        // Runs through the API with the workspace's key: one that completes, one whose last step throws.
        var key = await AccessTests.CreateKeyAsync(server, workspace.Id, owner.Id);
        using var api = server.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", key.ApiKey);
        using (var ok = await api.PostAsJsonAsync($"/flows/trigger/{flowId}", new { name = "Ada" }, ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        string failedRun;
        using (var failed = await api.PostAsJsonAsync($"/flows/trigger/{flowId}", new { name = "Bob", fail = true }, ct))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
            using var body = JsonDocument.Parse(await failed.Content.ReadAsStringAsync(ct));
            Assert.Equal("flow_run_failed", body.RootElement.GetProperty("error").GetProperty("code").GetString());
            failedRun = body.RootElement.GetProperty("analytics_id").GetString()!;
        }

        // The list counts them; the runs page lists both with their version; the failed one shows its steps.
        await browser.GoAsync(flows);
        var row = browser.Page.Locator($"#flows tr[data-flow='{flowId}']");
        Assert.Equal("2", await row.Locator(".runs-this-month").InnerTextAsync());
        Assert.Equal(1, await row.Locator("[data-status=failed]").CountAsync());
        await row.GetByRole(AriaRole.Link, new() { Name = "Runs of Greeter" }).ClickAsync();
        await browser.Page.Locator("#runs").WaitForAsync();
        Assert.Equal(2, await browser.Page.Locator("#runs tbody tr").CountAsync());
        Assert.Equal(1, await browser.Page.Locator("#runs tr[data-status=completed]").CountAsync());
        await browser.StepAsync("runs");
        await browser.Page.Locator($"#runs tr[data-run='{failedRun}'] a").ClickAsync();
        await browser.Page.Locator("#steps").WaitForAsync();
        await browser.StepAsync("failed-run");
        Assert.Equal("failed", await browser.Page.Locator("#run-status").GetAttributeAsync("data-status"));
        Assert.Equal("script_error", await browser.Page.Locator("#run-error").GetAttributeAsync("data-code"));
        Assert.Contains("\"fail\": true", await browser.Page.Locator("#run-input").InnerTextAsync(), StringComparison.Ordinal);
        var greet = browser.Page.Locator("#steps li[data-step=greet]");
        Assert.Equal("completed", await greet.GetAttributeAsync("data-status"));
        Assert.Contains("Hello Bob", await greet.Locator("pre").Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        var padding = browser.Page.Locator("#steps li[data-step=padding]");
        Assert.Equal(1, await padding.Locator("[data-cut=true]").CountAsync());
        Assert.InRange((await padding.Locator("pre").Nth(1).InnerTextAsync()).Length, 1, FlowRunModelCap + 10);
        var check = browser.Page.Locator("#steps li[data-step=check]");
        Assert.Equal("failed", await check.GetAttributeAsync("data-status"));
        Assert.Equal("script_error", await check.Locator(".step-error").GetAttributeAsync("data-code"));
    }

    [Theory]
    [InlineData("member", true)]
    [InlineData("developer", false)]
    public async Task AMemberWithoutTheDeveloperRoleOrApiAccessIsRefusedEveryFlowPage(string role, bool apiAccess)
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var flowId = await CreateFlowAsync(server, workspace.Id);
        var person = await Seed.UserAsync(server, Seed.UniqueEmail(role));
        await Seed.MemberAsync(server, workspace, owner, person, role, apiAccess);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, test: $"{nameof(AMemberWithoutTheDeveloperRoleOrApiAccessIsRefusedEveryFlowPage)}-{role}");
        var flows = $"/w/{workspace.Slug}/workspace/flows";
        await browser.SignInAsync(person.Email, flows);
        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Ask an admin for API access" }).WaitForAsync();
        await browser.StepAsync("refused");

        foreach (var page in new[] { "", "/new", $"/{flowId}", $"/{flowId}/runs" })
        {
            Assert.Equal(403, (await browser.GoAsync(flows + page))!.Status);
            Assert.Equal(0, await browser.Page.Locator("#flows, #document, #runs").CountAsync());
        }
        // Nor can they delete it with the list page's own form token.
        await browser.GoAsync(flows);
        Assert.Equal(403, await PostDeleteAsync(browser, flowId));
        Assert.Equal(1, await StoredVersionAsync(server, workspace.Id, flowId));
    }

    [Fact]
    public async Task AnotherWorkspacesFlowAndRunAreNotFoundAndCannotBeDeletedFromYours()
    {
        await using var server = await TestServer.StartAsync();
        var (mallory, own) = await Seed.OwnerAndWorkspaceAsync(server, "mallory");
        var (victim, theirs) = await Seed.OwnerAndWorkspaceAsync(server, "victim");
        var ownFlow = await CreateFlowAsync(server, own.Id);
        var theirFlow = await CreateFlowAsync(server, theirs.Id);
        var key = await AccessTests.CreateKeyAsync(server, theirs.Id, victim.Id);
        using var api = server.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", key.ApiKey);
        string theirRun;
        using (var ran = await api.PostAsJsonAsync($"/flows/trigger/{theirFlow}", new { name = "Eve" }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
            using var body = JsonDocument.Parse(await ran.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            theirRun = body.RootElement.GetProperty("analytics_id").GetString()!;
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(mallory.Email, $"/w/{own.Slug}/workspace/flows");

        // Their ids under our own workspace's addresses, and their workspace itself: all 404, nothing of theirs shown.
        foreach (var path in new[]
        {
            $"/w/{own.Slug}/workspace/flows/{theirFlow}", $"/w/{own.Slug}/workspace/flows/{theirFlow}/runs",
            $"/w/{own.Slug}/workspace/flows/{theirFlow}/runs/{theirRun}", $"/w/{own.Slug}/workspace/flows/{ownFlow}/runs/{theirRun}",
            $"/w/{theirs.Slug}/workspace/flows", $"/w/{theirs.Slug}/workspace/flows/{theirFlow}",
        })
        {
            Assert.Equal(404, (await browser.GoAsync(path))!.Status);
            Assert.Contains(await browser.Page.Locator("h1").InnerTextAsync(), NotFoundHeadings);
            Assert.DoesNotContain("Eve", await browser.Page.ContentAsync(), StringComparison.Ordinal);
        }
        await browser.StepAsync("not-found");

        // Saving onto their flow through our editor's address changes nothing.
        await browser.GoAsync($"/w/{own.Slug}/workspace/flows/{ownFlow}");
        await browser.Page.EvaluateAsync($"() => document.querySelector('form.flow-editor').action = '/w/{own.Slug}/workspace/flows/{theirFlow}'");
        var saved = browser.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        Assert.Equal(404, (await saved).Status);

        await browser.GoAsync($"/w/{own.Slug}/workspace/flows");
        Assert.Equal(404, await PostDeleteAsync(browser, theirFlow));
        await browser.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Equal(1, await StoredVersionAsync(server, theirs.Id, theirFlow));
    }

    static readonly string[] NotFoundHeadings = ["Page not found", "Workspace not found"];

    const int FlowRunModelCap = Hatbox.Portal.Pages.Workspace.FlowRunModel.MaxShownChars;

    static async Task<string> CreateFlowAsync(TestServer server, string workspaceId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(
            workspaceId, JsonDocument.Parse(Valid).RootElement, Common.Actor.Cli, TestContext.Current.CancellationToken);
        return created.Value!.FlowId;
    }

    static async Task<int?> StoredVersionAsync(TestServer server, string workspaceId, string flowId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<FlowService>().GetAsync(workspaceId, flowId, TestContext.Current.CancellationToken);
        return found.Value?.Version;
    }

    /// <summary>Posts the list page's delete form for <paramref name="flowId"/> with the page's own antiforgery token.</summary>
    static async Task<int> PostDeleteAsync(PortalBrowser browser, string flowId)
    {
        var posted = browser.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await browser.Page.EvaluateAsync(
            "flowId => { const f = document.createElement('form'); f.method = 'post'; f.action = '?handler=Delete';" +
            " const token = document.querySelector('input[name=__RequestVerificationToken]');" +
            " f.innerHTML = `<input name=flowId value=${flowId}>` + (token ? token.outerHTML : '');" +
            " document.body.append(f); f.submit(); }", flowId);
        return (await posted).Status;
    }
}
