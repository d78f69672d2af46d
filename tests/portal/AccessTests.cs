using Hatbox.Features.ApiKeys;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>Who reaches which page: the advice page of seed S8, other tenants' workspaces, and signing in first.</summary>
public sealed class AccessTests(Chromium chromium)
{
    [Theory]
    [InlineData("member", true)]
    [InlineData("developer", false)]
    public async Task AMemberWithoutApiAccessIsToldToAskAnAdminInsteadOfSeeingTheTokensScreen(string role, bool apiAccess)
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var person = await Seed.UserAsync(server, Seed.UniqueEmail(role));
        await Seed.MemberAsync(server, workspace, owner, person, role, apiAccess);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, test: $"{nameof(AMemberWithoutApiAccessIsToldToAskAnAdminInsteadOfSeeingTheTokensScreen)}-{role}");

        // The path address (/w/{slug}/…) of the tokens screen, reached through the sign-in page.
        var tokens = $"/w/{workspace.Slug}/workspace/developers";
        await browser.GoAsync(tokens);
        Assert.Contains("/signin?returnUrl=", browser.Page.Url, StringComparison.Ordinal);
        await browser.SubmitSignInAsync(person.Email, Seed.Password);
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new Uri(browser.Root, tokens).ToString());
        await browser.StepAsync("advice");

        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Ask an admin for API access" }).WaitForAsync();
        Assert.Equal(0, await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).CountAsync());
        Assert.Equal(0, await browser.Page.GetByLabel("ORG key").CountAsync());
        var reload = await browser.GoAsync(tokens);
        Assert.Equal(403, reload!.Status);
    }

    [Fact]
    public async Task AnotherTenantsWorkspaceIsNotFoundAndItsKeysCannotBeRevokedFromYours()
    {
        await using var server = await TestServer.StartAsync();
        var (mallory, own) = await Seed.OwnerAndWorkspaceAsync(server, "mallory");
        var (victim, theirs) = await Seed.OwnerAndWorkspaceAsync(server, "victim");
        var theirKey = await CreateKeyAsync(server, theirs.Id, victim.Id);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(mallory.Email);

        // Their pages, by path and by host: the same 404 as for a workspace that does not exist.
        foreach (var page in new[] { "/workspace", "/workspace/developers", "/workspace/members", "/workspace/usage", "/workspace/settings" })
        {
            Assert.Equal(404, (await browser.GoAsync($"/w/{theirs.Slug}{page}"))!.Status);
            Assert.Equal(404, (await browser.GoAsync($"/w/no-such-workspace{page}"))!.Status);
        }
        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Workspace not found" }).WaitForAsync();
        await browser.StepAsync("not-found");

        // Their key id posted to our own tokens screen (with a valid antiforgery token) revokes nothing.
        await browser.GoAsync($"/w/{own.Slug}/workspace/developers");
        await browser.Page.EvaluateAsync(
            "keyId => { const f = document.createElement('form'); f.method = 'post'; f.action = '?handler=RevokeKey';" +
            " f.innerHTML = `<input name=keyId value=${keyId}>` + document.querySelector('input[name=__RequestVerificationToken]').outerHTML;" +
            " document.body.append(f); f.submit(); }", theirKey.KeyId);
        await browser.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        await browser.StepAsync("foreign-key-refused");
        await using var scope = server.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().GetAsync(theirs.Id, theirKey.KeyId, TestContext.Current.CancellationToken);
        Assert.Null(key!.RevokedAt);
    }

    [Fact]
    public async Task SignInReturnsOnlyToAddressesOnThisSite()
    {
        await using var server = await TestServer.StartAsync();
        var user = await Seed.UserAsync(server, Seed.UniqueEmail("ada"));
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        await browser.GoAsync("/signin?returnUrl=https%3A%2F%2Fevil.example%2F");
        await browser.SubmitSignInAsync(user.Email, Seed.Password);
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new Uri(browser.Root, "/workspaces").ToString());

        await browser.GoAsync("/signin?returnUrl=%2F%2Fevil.example%2F");
        await browser.SubmitSignInAsync(user.Email, Seed.Password);
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new Uri(browser.Root, "/workspaces").ToString());
    }

    internal static async Task<CreatedApiKeyResponse> CreateKeyAsync(TestServer server, string workspaceId, string userId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(
            workspaceId, userId, new Common.Actor(userId), new CreateApiKeyRequest("server", null), TestContext.Current.CancellationToken);
        return created.Value!;
    }
}
