using System.Text.Json;
using Hatbox.Features.Db;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>The database page's "Ask your data" box, used the way a developer would.</summary>
public sealed class AskYourDataTests(Chromium chromium)
{
    [Fact]
    public async Task AQuestionIsAnsweredAsATableWithTheSqlThatRanAndARefusalSaysWhy()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "asker");
        var database = server.Services.GetRequiredService<ITenantDatabaseProvider>().Get(workspace.Id, DbEnvironment.Production);
        foreach (var sql in new[]
        {
            "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL)",
            "INSERT INTO products (name, category, price) VALUES ('Kettle', 'kitchen', 25), ('Toaster', 'kitchen', 40), ('Stapler', 'office', 8)",
        })
        {
            var ran = await database.QueryAsync(new TenantQuery(sql, SqlParameters.None, _ => Task.FromResult<Hatbox.Common.Errors.ApiError?>(null)),
                TestContext.Current.CancellationToken);
            Assert.True(ran.Succeeded);
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/database");

        await browser.Page.GetByLabel("Question").FillAsync("top 2 kitchen products by price");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Ask" }).ClickAsync();
        await browser.Page.Locator("#answer").WaitForAsync();
        await browser.StepAsync("answered");

        var names = await browser.Page.Locator("#answer tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(["Toaster", "Kettle"], names);
        Assert.StartsWith("SELECT * FROM \"products\" WHERE \"category\" = $1", await browser.Page.Locator("#sql").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains(JsonSerializer.Serialize("kitchen"), await browser.Page.Locator("#params").TextContentAsync(), StringComparison.Ordinal);

        await browser.Page.GetByLabel("Question").FillAsync("drop every table please");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Ask" }).ClickAsync();
        var alert = browser.Page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Equal("question_not_understood", await alert.GetAttributeAsync("data-code"));
        Assert.Equal(0, await browser.Page.Locator("#answer").CountAsync());
    }
}
