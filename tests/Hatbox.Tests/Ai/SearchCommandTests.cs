using System.Net;
using System.Net.Http.Headers;
using Hatbox.Tests.Storage;

namespace Hatbox.Tests.Ai;

/// <summary><c>hatbox admin search list|columns</c> on a real data folder: the same answers as <c>/v1</c>, and refusals by code.</summary>
public sealed class SearchCommandTests
{
    [Fact]
    public async Task ColumnsAreChosenAndListedAndBadTargetsAreRefusedByCode()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-search-cli-").FullName;
        try
        {
            var boot = await HatboxProcess.AdminAsync(data, "admin", "bootstrap", "--email", "search-cli@example.test",
                "--password", "a long test password", "--org", "Search", "--workspace", "search");
            await using (var server = await HatboxProcess.StartAsync(data))
            {
                using var client = server.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/db/query")
                {
                    Content = JsonContent.Create(new { query = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, note TEXT, price REAL)" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", boot.GetProperty("apiKey").GetString());
                using var created = await client.SendAsync(request, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            }

            var chosen = await HatboxProcess.AdminAsync(data, "admin", "search", "columns", "--workspace", "search", "items", "name");
            Assert.Equal(["name"], chosen.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
            var listed = await HatboxProcess.AdminAsync(data, "admin", "search", "list", "--workspace", "search");
            var item = Assert.Single(listed.EnumerateArray());
            Assert.Equal(("items", "production"), (item.GetProperty("table").GetString(), item.GetProperty("environment").GetString()));
            Assert.Equal(["name"], item.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
            var staging = await HatboxProcess.AdminAsync(data, "admin", "search", "list", "--workspace", "search", "--environment", "staging");
            Assert.Empty(staging.EnumerateArray());

            await AssertRefusedAsync(data, "table_not_found", "columns", "--workspace", "search", "missing");
            await AssertRefusedAsync(data, "table_not_found", "columns", "--workspace", "search", "items; DROP TABLE items");
            await AssertRefusedAsync(data, "column_not_found", "columns", "--workspace", "search", "items", "no_such_column");
            await AssertRefusedAsync(data, "parameter_invalid", "list", "--workspace", "search", "--environment", "moon");
            await AssertRefusedAsync(data, "resource_not_found", "list", "--workspace", "someone-else");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    static async Task AssertRefusedAsync(string data, string code, params string[] arguments)
    {
        var (exitCode, _, errors) = await HatboxProcess.RunAdminAsync(data, ["admin", "search", .. arguments]);
        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: {code}:", errors, StringComparison.Ordinal);
    }
}
