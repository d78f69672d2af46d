using System.Diagnostics;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class HostileFormTests
{
    [Theory]
    [InlineData("a=1&a=2", "a")]
    [InlineData("a[b]=1&a[b]=2", "a[b]")]
    [InlineData("a[0]=1&a[0]=2", "a[0]")]
    [InlineData("a=1&a[b]=2", "a[b]")]
    [InlineData("a[b]=1&a=2", "a")]
    [InlineData("a[b]=1&a[b][c]=2", "a[b][c]")]
    [InlineData("a[]=1&a[x]=2", "a[x]")]
    [InlineData("a[x]=1&a[]=2", "a[]")]
    [InlineData("a[]=1&a[0]=2", "a[0]")]
    [InlineData("a[0]=1&a[]=2", "a[]")]
    [InlineData("a[0]=1&a[x]=2", "a[x]")]
    [InlineData("a[b=1", "a[b")]
    [InlineData("a]=1", "a]")]
    [InlineData("[a]=1", "[a]")]
    [InlineData("a[b]c=1", "a[b]c")]
    [InlineData("a[b]]=1", "a[b]]")]
    [InlineData("a[[b]]=1", "a[[b]]")]
    [InlineData("a[1001]=x", "a[1001]")]
    [InlineData("a[99999999999999999999]=x", "a[99999999999999999999]")]
    [InlineData("a=%zz", "a")]
    [InlineData("a=%C3%28", "a")]
    [InlineData("a=%4", "a")]
    [InlineData("%zz=1", "%zz")]
    [InlineData("b%C3%28=1", "b%C3%28")]
    public async Task AmbiguousOrMalformedFieldsAreRefusedNamingTheKey(string form, string param)
    {
        var error = Error(await ReadFormAsync(form));

        Assert.Equal(400, error.Status);
        Assert.Equal(ErrorCodes.InvalidForm, error.Code);
        Assert.Equal(param, error.Param);
    }

    [Theory]
    [InlineData("=1")]
    [InlineData("=")]
    [InlineData("a=1&=2")]
    public async Task AnEmptyKeyIsRefused(string form)
    {
        var error = Error(await ReadFormAsync(form));

        Assert.Equal((400, ErrorCodes.InvalidForm), (error.Status, error.Code));
    }

    [Fact]
    public async Task NestingPastTheDepthLimitIsRefused()
    {
        var key = "a" + string.Concat(Enumerable.Repeat("[b]", 16));

        var error = Error(await ReadFormAsync(key + "=x"));

        Assert.Equal((400, ErrorCodes.InvalidForm, key), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task VeryDeepNestingIsRefused()
    {
        var key = "a" + string.Concat(Enumerable.Repeat("[0]", 5000));

        var error = Error(await ReadFormAsync(key + "=x"));

        Assert.Equal((400, ErrorCodes.InvalidForm), (error.Status, error.Code));
    }

    [Fact]
    public async Task TenThousandKeysAreRefusedQuickly()
    {
        var form = string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"k{i}={i}"));
        var clock = Stopwatch.StartNew();

        var error = Error(await ReadFormAsync(form));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal((400, ErrorCodes.InvalidForm, "k1000"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task TenThousandAppendedValuesAreRefusedQuickly()
    {
        var form = string.Concat(Enumerable.Repeat("a[]=1&", 10_000));
        var clock = Stopwatch.StartNew();

        var error = Error(await ReadFormAsync(form));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal((400, ErrorCodes.InvalidForm, "a[]"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task AKeyLongerThanTheLimitIsRefusedAndNotEchoedWhole()
    {
        var key = new string('k', 5000);

        var error = Error(await ReadFormAsync(key + "=1"));

        Assert.Equal((400, ErrorCodes.InvalidForm), (error.Status, error.Code));
        Assert.Equal(BodyLimits.Default.MaxKeyLength, error.Param?.Length);
    }

    [Fact]
    public async Task AValueLongerThanTheLimitIsRefused()
    {
        var limits = new BodyLimits { MaxValueLength = 10 };

        var error = Error(await ReadFormAsync("short=0123456789&long=0123456789x", limits));

        Assert.Equal((400, ErrorCodes.InvalidForm, "long"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task AValueIsMeasuredAfterDecoding()
    {
        var limits = new BodyLimits { MaxValueLength = 3 };

        var result = await ReadFormAsync("a=%E2%82%AC", limits);

        Assert.Equal("""{"a":"€"}""", Json(result));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABodyPastTheFormLimitIsTooLarge(bool sendLength)
    {
        var limits = new BodyLimits { MaxFormBytes = 100 };
        var form = "a=" + new string('x', 200);

        var error = Error(await ReadAsync("application/x-www-form-urlencoded", form, limits, sendLength));

        Assert.Equal((413, ErrorCodes.PayloadTooLarge), (error.Status, error.Code));
    }

    [Fact]
    public async Task ABodyExactlyAtTheFormLimitIsRead()
    {
        var limits = new BodyLimits { MaxFormBytes = 100 };
        var form = "a=" + new string('x', 98);

        var result = await ReadAsync("application/x-www-form-urlencoded", form, limits, sendLength: false);

        Assert.Null(result.Error);
    }
}
