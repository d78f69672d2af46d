using System.Text;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class JsonBodyTests
{
    [Fact]
    public async Task AnObjectIsReadWithItsValuesIntact()
    {
        const string json = """{"a":1,"big":12345678901234567890.5,"s":"x\u00e9","b":{"c":[true,null,{"d":false}]}}""";

        var result = await ReadJsonAsync(json);

        Assert.Equal("""{"a":1,"big":12345678901234567890.5,"s":"xé","b":{"c":[true,null,{"d":false}]}}""", Json(result));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"a":}""")]
    [InlineData("""{"a":1} x""")]
    [InlineData("""{"a":1}{"b":2}""")]
    [InlineData("{'a':1}")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":1 /* note */}""")]
    [InlineData("   ")]
    public async Task MalformedJsonIsInvalidJson(string json)
    {
        var error = Error(await ReadJsonAsync(json));

        Assert.Equal((400, ErrorCodes.InvalidJson), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"a":1},{"a":2}]""")]
    public async Task ARootArrayIsRefusedAsBulk(string json)
    {
        var error = Error(await ReadJsonAsync(json));

        Assert.Equal((400, ErrorCodes.BulkNotSupported), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"text\"")]
    [InlineData("true")]
    [InlineData("null")]
    public async Task AnyOtherRootValueIsInvalidJson(string json)
    {
        var error = Error(await ReadJsonAsync(json));

        Assert.Equal((400, ErrorCodes.InvalidJson), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "a")]
    [InlineData("""{"a":1,"\u0061":2}""", "a")]
    [InlineData("""{"outer":{"x":1,"y":2,"x":3}}""", "x")]
    [InlineData("""{"list":[{"id":1},{"id":2,"id":3}]}""", "id")]
    public async Task ADuplicatePropertyIsInvalidJsonNamingIt(string json, string param)
    {
        var error = Error(await ReadJsonAsync(json));

        Assert.Equal((400, ErrorCodes.InvalidJson, param), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task PropertiesDifferingOnlyInCaseAreNotDuplicates()
    {
        var result = await ReadJsonAsync("""{"a":1,"A":2}""");

        Assert.Equal("""{"a":1,"A":2}""", Json(result));
    }

    [Fact]
    public async Task NestingPastTheDepthLimitIsInvalidJson()
    {
        var error = Error(await ReadJsonAsync(Nested(17)));

        Assert.Equal((400, ErrorCodes.InvalidJson), (error.Status, error.Code));
    }

    [Fact]
    public async Task NestingExactlyAtTheDepthLimitIsAccepted()
    {
        var result = await ReadJsonAsync(Nested(16));

        Assert.Null(result.Error);
    }

    [Fact]
    public async Task InvalidUtf8InsideAStringIsInvalidJson()
    {
        byte[] body = [.. """{"a":"x"""u8, 0xC3, 0x28, .. "\"}"u8];
        var context = Context("application/json", body);

        var result = await RequestBodyReader.ReadAsync(context.Request, BodyLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal((400, ErrorCodes.InvalidJson), (Error(result).Status, Error(result).Code));
    }

    [Fact]
    public async Task AByteOrderMarkIsSkipped()
    {
        var result = await ReadJsonAsync("\uFEFF{\"a\":1}");

        Assert.Equal("""{"a":1}""", Json(result));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/vnd.api+json")]
    [InlineData("application/merge-patch+json; charset=\"utf-8\"")]
    public async Task JsonMediaTypesAreRead(string contentType)
    {
        var result = await ReadAsync(contentType, """{"a":1}""");

        Assert.Equal("""{"a":1}""", Json(result));
    }

    [Fact]
    public async Task ACharsetOtherThanUtf8IsUnsupported()
    {
        var error = Error(await ReadAsync("application/json; charset=utf-16", """{"a":1}"""));

        Assert.Equal((415, ErrorCodes.UnsupportedMediaType), (error.Status, error.Code));
    }

    [Fact]
    public async Task AnEmptyChunkedJsonBodyIsAnEmptyObject()
    {
        var result = await ReadAsync("application/json", "", sendLength: false);

        Assert.Equal("{}", Json(result));
    }

    private static string Nested(int levels)
    {
        var json = new StringBuilder();
        for (var i = 1; i < levels; i++)
        {
            json.Append("{\"a\":");
        }

        return json.Append("{}").Append('}', levels - 1).ToString();
    }
}
