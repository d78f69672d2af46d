using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class FormNestingTests
{
    [Theory]
    [InlineData("a=1", """{"a":"1"}""")]
    [InlineData("a=1&b=two+words", """{"a":"1","b":"two words"}""")]
    [InlineData("data[name]=x", """{"data":{"name":"x"}}""")]
    [InlineData("data[name]=x&data[age]=3", """{"data":{"name":"x","age":"3"}}""")]
    [InlineData("params[]=1&params[]=2", """{"params":["1","2"]}""")]
    [InlineData("a[0][b]=c&a[1][b]=d", """{"a":[{"b":"c"},{"b":"d"}]}""")]
    [InlineData("a[0][b]=c&a[0][e]=f", """{"a":[{"b":"c","e":"f"}]}""")]
    [InlineData("a[b][c][d]=deep", """{"a":{"b":{"c":{"d":"deep"}}}}""")]
    [InlineData("a[][b]=1&a[][b]=2", """{"a":[{"b":"1"},{"b":"2"}]}""")]
    [InlineData("m[0][]=1&m[0][]=2&m[1][]=3", """{"m":[["1","2"],["3"]]}""")]
    public async Task KeysNestLikeStripeAndQs(string form, string expected)
    {
        Assert.Equal(expected, Json(await ReadFormAsync(form)));
    }

    [Fact]
    public async Task SparseIndicesAreOrderedByIndexAndCompacted()
    {
        var result = await ReadFormAsync("a[5]=x&a[2]=y&a[900]=z");

        Assert.Equal("""{"a":["y","x","z"]}""", Json(result));
    }

    [Fact]
    public async Task ValuesStayStringsEvenWhenTheyLookLikeNumbersOrBooleans()
    {
        var result = await ReadFormAsync("n=42&flag=true&none=null");

        Assert.Equal("""{"n":"42","flag":"true","none":"null"}""", Json(result));
    }

    [Fact]
    public async Task EmptyPairsFromDoubledOrTrailingAmpersandsAreIgnored()
    {
        var result = await ReadFormAsync("&a=1&&b=2&");

        Assert.Equal("""{"a":"1","b":"2"}""", Json(result));
    }

    [Fact]
    public async Task AKeyWithoutAnEqualsSignHasAnEmptyValue()
    {
        var result = await ReadFormAsync("a&b=");

        Assert.Equal("""{"a":"","b":""}""", Json(result));
    }

    [Fact]
    public async Task PercentEncodedBracketsNestAfterDecoding()
    {
        var result = await ReadFormAsync("data%5Bname%5D=x%26y%3Dz");

        Assert.Equal("""{"data":{"name":"x&y=z"}}""", Json(result));
    }

    [Fact]
    public async Task AnIndexWithALeadingZeroIsAPropertyName()
    {
        var result = await ReadFormAsync("a[01]=x&a[b]=y");

        Assert.Equal("""{"a":{"01":"x","b":"y"}}""", Json(result));
    }

    [Fact]
    public async Task AnEmptyFormBodyIsAnEmptyObject()
    {
        var result = await ReadAsync("application/x-www-form-urlencoded", "", sendLength: false);

        Assert.Equal("{}", Json(result));
    }

    [Fact]
    public async Task ExactlyTheDepthLimitIsAccepted()
    {
        // The root object is level 1, so 15 bracket pairs reach the default 16 levels.
        var key = "a" + string.Concat(Enumerable.Repeat("[b]", 15));

        var result = await ReadFormAsync(key + "=x");

        Assert.Null(result.Error);
    }

    [Fact]
    public async Task ExactlyTheFieldLimitIsAccepted()
    {
        var form = string.Join('&', Enumerable.Range(0, 1000).Select(i => $"k{i}={i}"));

        var result = await ReadFormAsync(form);

        Assert.Equal(1000, Assert.IsType<JsonObject>(result.Body).Count);
    }

    [Fact]
    public async Task TheHighestAllowedIndexIsAccepted()
    {
        var result = await ReadFormAsync("a[1000]=x");

        Assert.Equal("""{"a":["x"]}""", Json(result));
    }

    [Fact]
    public async Task ACharsetOtherThanUtf8IsUnsupported()
    {
        var result = await ReadAsync("application/x-www-form-urlencoded; charset=iso-8859-1", "a=1");

        Assert.Equal(415, Error(result).Status);
    }

    [Fact]
    public async Task AnExplicitUtf8CharsetIsAccepted()
    {
        var result = await ReadAsync("application/x-www-form-urlencoded; charset=UTF-8", "a=1");

        Assert.Equal("""{"a":"1"}""", Json(result));
    }

    [Fact]
    public async Task CustomLimitsApply()
    {
        var limits = new BodyLimits { MaxArrayIndex = 3 };

        var error = Error(await ReadFormAsync("a[4]=x", limits));

        Assert.Equal((400, ErrorCodes.InvalidForm, "a[4]"), (error.Status, error.Code, error.Param));
    }
}
