using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Http;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class ContentTypeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NoBodyAndNoContentTypeIsAnEmptyObject(bool sendLength)
    {
        var result = await ReadAsync(null, "", sendLength: sendLength);

        Assert.Equal("{}", Json(result));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data")]
    public async Task AZeroContentLengthIsAnEmptyObjectWhateverTheType(string contentType)
    {
        var result = await ReadAsync(contentType, "");

        Assert.Equal("{}", Json(result));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABodyWithoutAContentTypeIsUnsupported(bool sendLength)
    {
        var error = Error(await ReadAsync(null, """{"a":1}""", sendLength: sendLength));

        Assert.Equal((415, ErrorCodes.UnsupportedMediaType), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/octet-stream")]
    [InlineData("multipart/mixed; boundary=x")]
    [InlineData("not a media type")]
    [InlineData("application/json+")]
    public async Task AnyOtherContentTypeIsUnsupported(string contentType)
    {
        var error = Error(await ReadAsync(contentType, """{"a":1}"""));

        Assert.Equal((415, ErrorCodes.UnsupportedMediaType), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=b")]
    [InlineData(null)]
    public async Task KestrelsOwnTooLargeErrorIsLeftToPropagate(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new OversizedBodyStream();

        var thrown = await Assert.ThrowsAsync<BadHttpRequestException>(() =>
            RequestBodyReader.ReadAsync(context.Request, BodyLimits.Default, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(413, thrown.StatusCode);
    }
}
