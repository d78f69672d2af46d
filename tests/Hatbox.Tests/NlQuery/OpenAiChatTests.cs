using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Tests.Db;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.NlQuery;

/// <summary>The chat path through the real OpenAI client (Microsoft.Extensions.AI.OpenAI) over HTTP to the stand-in.</summary>
public sealed class OpenAiChatTests(OpenAiChatServer shop) : IClassFixture<OpenAiChatServer>
{
    [Fact]
    public async Task TheConfiguredEndpointAnswersAndItsTokensAreRecorded()
    {
        const string question = "what do our red things cost altogether";
        shop.StandIn.Answers[question] = "SELECT sum(\"price\") AS spent FROM \"products\" WHERE \"color\" = 'red'";

        // Other tests of this class ask the same organization's stand-in too, in any order: compare totals.
        var (inputBefore, outputBefore) = await TokensAsync();

        var body = await shop.Db.AskOkAsync(question);

        Assert.Equal("chat", body.GetProperty("engine").GetString());
        Assert.Equal("38", NlQueryCalls.Rows(body, "spent"));
        var (inputAfter, outputAfter) = await TokensAsync();
        Assert.Equal(42, inputAfter - inputBefore);
        Assert.Equal(7, outputAfter - outputBefore);
    }

    async Task<(long Input, long Output)> TokensAsync()
    {
        await using var scope = shop.Server.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<HatboxDbContext>().ChatTokenUsage.AsNoTracking()
            .Where(u => u.OrganizationId == shop.Tenant.OrganizationId)
            .ToListAsync(TestContext.Current.CancellationToken);
        return (usage.Sum(u => u.InputTokens), usage.Sum(u => u.OutputTokens));
    }

    [Theory]
    [MemberData(nameof(HostileSql.Statements), MemberType = typeof(HostileSql))]
    public async Task HostileSqlFromTheEndpointIsRefusedAndNothingChanges(string sql)
    {
        var question = "hostile " + Guid.NewGuid().ToString("N");
        shop.StandIn.Answers[question] = sql;

        await DbClient.ErrorAsync(await shop.Db.AskAsync(question), HttpStatusCode.UnprocessableEntity, ErrorCodes.UnsafeGeneratedSql);

        Assert.Equal(10, await shop.Db.CountAsync("products"));
        Assert.Equal(0, (await shop.Db.RowsAsync("SELECT count(*) AS n FROM products WHERE price = 0 OR name = 'planted' OR name = 'x'"))[0].GetProperty("n").GetInt64());
    }

    [Theory]
    [InlineData("SLOW")]
    [InlineData("ERROR")]
    public async Task AnEndpointThatIsSlowOrFailingIsUnavailable(string behaviour)
    {
        var question = behaviour + " " + Guid.NewGuid().ToString("N");
        shop.StandIn.Answers[question] = behaviour;

        using var response = await shop.Db.AskAsync(question);

        Assert.NotNull(response.Headers.RetryAfter);
        await Infrastructure.ErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, ErrorCodes.AiUnavailable);
    }

    [Fact]
    public async Task ARefusedConnectionIsUnavailable()
    {
        var settings = DbTestSettings.With(("Ai:Chat:Provider", "openai"), ("Ai:Chat:Endpoint", $"http://127.0.0.1:{Infrastructure.TestServer.FreePort()}/v1"),
            ("Ai:Chat:Model", "gone"), ("Ai:Chat:TimeoutSeconds", "2"));
        await using var server = await Infrastructure.TestServer.StartAsync(settings);
        using var http = server.CreateClient();
        var db = new DbClient(http, (await Infrastructure.TestTenant.CreateAsync(server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE t (x INTEGER)");

        await DbClient.ErrorAsync(await db.AskAsync("anything the built-in engine cannot read"), HttpStatusCode.ServiceUnavailable, ErrorCodes.AiUnavailable);
    }
}
