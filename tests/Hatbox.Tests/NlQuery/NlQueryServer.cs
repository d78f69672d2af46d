using System.Globalization;
using System.Net;
using System.Text.Json;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.NlQuery;

/// <summary>One server and one seeded tenant shared by a class's questions: nl-query only reads, so they cannot disturb each other.</summary>
public class NlQueryServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public TestTenant Tenant { get; private set; } = null!;

    public DbClient Db { get; private set; } = null!;

    protected virtual Dictionary<string, string?> Settings => DbTestSettings.With();

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync(Settings, Configure);
        Http = Server.CreateClient();
        Tenant = await TestTenant.CreateAsync(Server);
        Db = new DbClient(Http, Tenant.ApiKey);
        await NlQueryData.SeedAsync(Db);
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public static class NlQueryCalls
{
    public static Task<HttpResponseMessage> AskAsync(this DbClient db, string question, object? context = null, string? environment = null) =>
        db.SendAsync(HttpMethod.Post, "/db/nl-query", new { question, context, environment });

    public static async Task<JsonElement> AskOkAsync(this DbClient db, string question, object? context = null)
    {
        using var response = await db.AskAsync(question, context);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{question}': expected 200, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(body.GetProperty("success").GetBoolean());
        return body;
    }

    /// <summary>
    /// The answer's rows as "v1=v2|v1=v2" for the named columns ("name" or "category,count"),
    /// numbers rounded to three decimals: compact to compare, and every value is checked.
    /// </summary>
    public static string Rows(JsonElement body, string columns)
    {
        var names = columns.Split(',');
        return string.Join('|', body.GetProperty("data").EnumerateArray().Select(row =>
            string.Join('=', names.Select(name => Format(row.GetProperty(name))))));
    }

    static string Format(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Math.Round(value.GetDouble(), 3).ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Null => "null",
        _ => value.ToString(),
    };
}
