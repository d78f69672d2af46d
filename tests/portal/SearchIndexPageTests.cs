using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.PortalTests.Infrastructure;

namespace Hatbox.PortalTests;

/// <summary>The workspace's search-indexes page: per table, rows indexed of total and the state, as the index itself reports them.</summary>
public sealed class SearchIndexPageTests(Chromium chromium)
{
    [Fact]
    public async Task TheSearchPageShowsBackfillProgressUntilEveryRowIsIndexed()
    {
        const int Rows = 600;
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "searcher");
        var database = server.Services.GetRequiredService<ITenantDatabaseProvider>().Get(workspace.Id, DbEnvironment.Staging);
        foreach (var sql in new[]
        {
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, stars INTEGER)",
            $"INSERT INTO notes (body, stars) WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {Rows}) SELECT 'note number ' || x || ' about the garden', x FROM n",
            "CREATE TABLE counters (id INTEGER PRIMARY KEY, hits INTEGER)",
        })
        {
            var ran = await database.QueryAsync(new TenantQuery(sql, SqlParameters.None, _ => Task.FromResult<Hatbox.Common.Errors.ApiError?>(null)),
                TestContext.Current.CancellationToken);
            Assert.True(ran.Succeeded);
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/search?environment=staging");
        Assert.Equal(1, await browser.Page.Locator("#no-indexes").CountAsync());

        // The first search starts the backfill; the page reads the same index.
        var indexes = server.Services.GetRequiredService<SearchIndexes>();
        var opened = await indexes.GetAsync(workspace.Id, DbEnvironment.Staging, "notes", TestContext.Current.CancellationToken);
        Assert.True(opened.Succeeded);
        var row = browser.Page.Locator("#search-indexes tr[data-table=notes]");
        for (var attempt = 0; ; attempt++)
        {
            await browser.GoAsync($"/w/{workspace.Slug}/workspace/search?environment=staging");
            var indexed = long.Parse((await row.GetAttributeAsync("data-indexed"))!, System.Globalization.CultureInfo.InvariantCulture);
            var total = long.Parse((await row.GetAttributeAsync("data-total"))!, System.Globalization.CultureInfo.InvariantCulture);
            var state = await row.GetAttributeAsync("data-state");
            Assert.InRange(indexed, 0, Math.Max(total, 0));
            if (state == "ready")
            {
                Assert.Equal(Rows, total);
                Assert.Equal(Rows, indexed);
                Assert.Equal(opened.Value!.Status(), new IndexStatus("ready", Rows, Rows));
                break;
            }
            Assert.Equal("indexing", state);
            Assert.True(attempt < 120, "the backfill did not finish");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        await browser.StepAsync("indexed");
        Assert.Contains("body", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("100", await row.Locator("progress").GetAttributeAsync("value"));

        // Production has none of staging's indexes.
        await browser.GoAsync($"/w/{workspace.Slug}/workspace/search");
        Assert.Equal(1, await browser.Page.Locator("#no-indexes").CountAsync());
    }
}
