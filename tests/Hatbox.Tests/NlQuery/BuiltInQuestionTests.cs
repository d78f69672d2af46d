using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.NlQuery;

/// <summary>
/// The built-in engine, offline, on the shop of <see cref="NlQueryData"/>: every shape it knows,
/// in several wordings, each answer's values checked; and the questions it must refuse.
/// </summary>
public sealed class BuiltInQuestionTests(NlQueryServer shop) : IClassFixture<NlQueryServer>
{
    [Theory]
    // How many, with filters
    [InlineData("How many products are there?", "count", "10")]
    [InlineData("count products", "count", "10")]
    [InlineData("number of products in kitchen", "count", "4")]
    [InlineData("How many kitchen products do we have?", "count", "4")]
    [InlineData("What's the number of products in the office category?", "count", "3")]
    [InlineData("how many products are red", "count", "3")]
    [InlineData("number of red kitchen products", "count", "2")]
    [InlineData("How many products have a price over 30?", "count", "4")]
    [InlineData("how many products with price at least 30", "count", "5")]
    [InlineData("how many products priced between 20 and 40", "count", "5")]
    [InlineData("count products with stock > 10", "count", "4")]
    [InlineData("how many orders are shipped", "count", "3")]
    [InlineData("how many orders from Ada", "count", "3")]
    [InlineData("how many customers are there", "count_customer", "3")]
    // Per value of another column
    [InlineData("how many products per category", "category,count", "garden=3|kitchen=4|office=3")]
    [InlineData("count products by color", "color,count", "black=3|green=3|red=3|white=1")]
    [InlineData("How many products are in each category?", "category,count", "garden=3|kitchen=4|office=3")]
    // List and show, with filters, order and limit
    [InlineData("list kitchen products", "name", "Kettle|Toaster|Blender|Spatula")]
    [InlineData("show office products sorted by price", "name", "Stapler|Desk Lamp|Office Chair")]
    [InlineData("Show me the office products ordered by price descending", "name", "Office Chair|Desk Lamp|Stapler")]
    [InlineData("list products with stock below 5", "name", "Blender|Office Chair|Rake")]
    [InlineData("first 3 products ordered by name", "name", "Blender|Desk Lamp|Garden Hose")]
    [InlineData("list kitchen or garden products with price under 21", "name", "Spatula|Garden Hose|Rake")]
    [InlineData("show products named 'Kettle'", "name,price", "Kettle=25")]
    [InlineData("products where name is 'Rake'", "name,stock", "Rake=0")]
    [InlineData("show name and price of office products", "name,price", "Desk Lamp=30|Stapler=8|Office Chair=150")]
    // Top and bottom N by a column
    [InlineData("top 3 products by price", "name,price", "Office Chair=150|Blender=60|Toaster=40")]
    [InlineData("bottom 2 products by price", "name", "Spatula|Stapler")]
    [InlineData("top 5 garden products by stock", "name,stock", "Shovel=15|Garden Hose=7|Rake=0")]
    [InlineData("the 2 products with the highest price", "name", "Office Chair|Blender")]
    // Most and least by a column
    [InlineData("Which product has the highest price?", "name", "Office Chair")]
    [InlineData("which product has the most stock", "name", "Spatula")]
    [InlineData("which product has the lowest stock", "name", "Blender")]
    [InlineData("which kitchen product has the lowest price", "name", "Spatula")]
    [InlineData("which category has the most products", "category,count", "kitchen=4")]
    [InlineData("which color has the fewest products", "color,count", "white=1")]
    // Sum, average, min, max, with filters or per value of another column
    [InlineData("What is the highest price?", "max_price", "150")]
    [InlineData("what's the lowest price of garden products", "min_price", "18")]
    [InlineData("What is the average price?", "average_price", "39.1")]
    [InlineData("average price of kitchen products", "average_price", "32.5")]
    [InlineData("average price per category", "category,average_price", "garden=24.333|kitchen=32.5|office=62.667")]
    [InlineData("total stock", "total_stock", "192")]
    [InlineData("sum of stock for kitchen products", "total_stock", "115")]
    [InlineData("how much stock is there in the garden category", "total_stock", "22")]
    [InlineData("total price per category", "category,total_price", "garden=73|kitchen=130|office=188")]
    [InlineData("minimum stock per category", "category,min_stock", "garden=0|kitchen=0|office=3")]
    [InlineData("maximum price by color", "color,max_price", "black=150|green=35|red=25|white=40")]
    [InlineData("total quantity per status", "status,total_quantity", "cancelled=1|pending=2|shipped=15")]
    [InlineData("mean quantity of shipped orders", "average_quantity", "5")]
    // Distinct values
    [InlineData("what are the different categories", "category", "garden|kitchen|office")]
    [InlineData("list the categories", "category", "garden|kitchen|office")]
    [InlineData("distinct colors of kitchen products", "color", "black|red|white")]
    [InlineData("which unique statuses do orders have", "status", "cancelled|pending|shipped")]
    public async Task AQuestionIsAnsweredWithTheRightValues(string question, string columns, string expected)
    {
        var body = await shop.Db.AskOkAsync(question);

        Assert.Equal(expected, NlQueryCalls.Rows(body, columns));
        Assert.Equal("built-in", body.GetProperty("engine").GetString());
        Assert.StartsWith("SELECT ", body.GetProperty("sql").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Words that match no name, linked by the local embedding model to the name they mean.</summary>
    [Theory]
    [InlineData("how many products cost more than 30", "count", "4")]
    [InlineData("how many items are in kitchen", "count", "4")]
    [InlineData("average cost per category", "category,average_price", "garden=24.333|kitchen=32.5|office=62.667")]
    public async Task SynonymsAreLinkedByTheEmbeddingModel(string question, string columns, string expected)
    {
        var body = await shop.Db.AskOkAsync(question);

        Assert.Equal(expected, NlQueryCalls.Rows(body, columns));
    }

    [Theory]
    [InlineData("how many are there", "orders", "count", "6")]
    [InlineData("count rows", "products", "count", "10")]
    [InlineData("top 1 by quantity", "orders", "customer,quantity", "Grace=10")]
    public async Task ContextTableRestrictsTheQuestionToOneTable(string question, string table, string columns, string expected)
    {
        var body = await shop.Db.AskOkAsync(question, new { table });

        Assert.Equal(expected, NlQueryCalls.Rows(body, columns));
    }

    [Fact]
    public async Task TheSqlThatRanHasItsValuesBoundAndRunsTheSameThroughDbQuery()
    {
        var body = await shop.Db.AskOkAsync("list kitchen products with price over 20");
        var sql = body.GetProperty("sql").GetString()!;
        var parameters = body.GetProperty("params").EnumerateArray().Select(p => (object?)(p.ValueKind == System.Text.Json.JsonValueKind.String ? p.GetString() : p.GetDouble())).ToArray();

        Assert.DoesNotContain("kitchen", sql, StringComparison.Ordinal);
        Assert.Contains("$1", sql, StringComparison.Ordinal);
        Assert.Equal(["kitchen", 20.0], parameters);
        var again = await shop.Db.QueryOkAsync(sql, parameters);
        Assert.Equal(NlQueryCalls.Rows(body, "name"), NlQueryCalls.Rows(again, "name"));
    }

    [Theory]
    [InlineData("What is the weather tomorrow?")]
    [InlineData("how many products were sold last week")]
    [InlineData("delete all products")]
    [InlineData("drop table products")]
    [InlineData("list products'; DROP TABLE products; --")]
    [InlineData("how many records")]
    [InlineData("top products")]
    [InlineData("how many products and orders")]
    [InlineData("products cheaper than 10")]
    [InlineData("average name")]
    [InlineData("price")]
    [InlineData("how many products per")]
    [InlineData("list 7")]
    public async Task AQuestionItCannotMapIsRefusedAndNothingChanges(string question)
    {
        await DbClient.ErrorAsync(await shop.Db.AskAsync(question), HttpStatusCode.UnprocessableEntity, ErrorCodes.QuestionNotUnderstood);

        Assert.Equal(10, await shop.Db.CountAsync("products"));
        Assert.Equal(6, await shop.Db.CountAsync("orders"));
    }

    [Fact]
    public async Task AnEmptyOrOverLongQuestionIsABadRequest()
    {
        await DbClient.ErrorAsync(await shop.Db.AskAsync(""), HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await shop.Db.AskAsync("   "), HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await shop.Db.AskAsync(new string('a', 1001)), HttpStatusCode.BadRequest, ErrorCodes.QuestionTooLong);
    }

    [Fact]
    public async Task ABrokenRequestIsRefusedWithItsCode()
    {
        await DbClient.ErrorAsync(await shop.Db.AskAsync("count products", environment: "moon"), HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await shop.Db.AskAsync("count products", context: "products"), HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await shop.Db.AskAsync("count products", context: new { table = 5 }), HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await shop.Db.AskAsync("count products", context: new { table = "nope" }), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await shop.Db.SendAsync(HttpMethod.Post, "/db/nl-query", new[] { new { question = "count products" } }),
            HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);
    }

    [Fact]
    public async Task AnotherTenantNeverSeesTheShop()
    {
        var other = new DbClient(shop.Http, (await TestTenant.CreateAsync(shop.Server)).ApiKey);

        await DbClient.ErrorAsync(await other.AskAsync("how many products are there"), HttpStatusCode.UnprocessableEntity, ErrorCodes.QuestionNotUnderstood);
        await DbClient.ErrorAsync(await other.AskAsync("count rows", new { table = "products" }), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
    }

    [Fact]
    public async Task ARevokedKeyCannotAsk()
    {
        var (key, keyId) = await shop.Tenant.CreateKeyAsync(shop.Server);
        await shop.Tenant.RevokeAsync(shop.Server, keyId);

        await DbClient.ErrorAsync(await new DbClient(shop.Http, key).AskAsync("count products"), HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
    }

    [Fact]
    public async Task AnotherEnvironmentHasItsOwnData()
    {
        await DbClient.ErrorAsync(await shop.Db.AskAsync("count products", environment: "staging"), HttpStatusCode.UnprocessableEntity, ErrorCodes.QuestionNotUnderstood);
    }
}
