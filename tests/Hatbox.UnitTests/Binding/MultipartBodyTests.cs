using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class MultipartBodyTests
{
    private const string Boundary = "----hatbox7MA4YWxk";
    private const string ContentType = "multipart/form-data; boundary=" + Boundary;

    [Fact]
    public async Task TextFieldsNestLikeFormFields()
    {
        var body = Multipart(Field("data[name]", "Ada"), Field("params[]", "1"), Field("params[]", "2"), Field("note", "ünïcode\r\nlines"));

        var result = await ReadAsync(ContentType, body);

        Assert.Equal("""{"data":{"name":"Ada"},"params":["1","2"],"note":"ünïcode\r\nlines"}""", Json(result));
    }

    [Fact]
    public async Task AQuotedBoundaryIsAccepted()
    {
        var result = await ReadAsync($"multipart/form-data; boundary=\"{Boundary}\"", Multipart(Field("a", "1")));

        Assert.Equal("""{"a":"1"}""", Json(result));
    }

    [Theory]
    [InlineData("""form-data; name="file"; filename="a.txt" """)]
    [InlineData("""form-data; name="file"; filename="" """)]
    [InlineData("""form-data; name="file"; filename*=UTF-8''a.txt""")]
    public async Task AFilePartIsRefusedNamingTheField(string disposition)
    {
        var body = Multipart(Field("a", "1"), Part(disposition.Trim(), "file bytes"));

        var error = Error(await ReadAsync(ContentType, body));

        Assert.Equal((400, ErrorCodes.InvalidMultipart, "file"), (error.Status, error.Code, error.Param));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    public async Task AMissingBoundaryIsInvalidMultipart(string contentType)
    {
        var error = Error(await ReadAsync(contentType, Multipart(Field("a", "1"))));

        Assert.Equal((400, ErrorCodes.InvalidMultipart), (error.Status, error.Code));
    }

    [Fact]
    public async Task ABoundaryLongerThanSeventyCharactersIsInvalidMultipart()
    {
        var error = Error(await ReadAsync("multipart/form-data; boundary=" + new string('b', 71), "x"));

        Assert.Equal((400, ErrorCodes.InvalidMultipart), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("not multipart at all")]
    [InlineData("--" + Boundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing boundary")]
    [InlineData("--" + Boundary + "\r\nthis is not a header\r\n\r\nx\r\n--" + Boundary + "--\r\n")]
    public async Task AMalformedBodyIsInvalidMultipart(string body)
    {
        var error = Error(await ReadAsync(ContentType, body));

        Assert.Equal((400, ErrorCodes.InvalidMultipart), (error.Status, error.Code));
    }

    [Theory]
    [InlineData("form-data")]
    [InlineData("form-data; name=\"\"")]
    [InlineData("attachment; name=\"a\"")]
    public async Task APartWithoutAFormDataNameIsInvalidMultipart(string disposition)
    {
        var error = Error(await ReadAsync(ContentType, Multipart(Part(disposition, "x"))));

        Assert.Equal((400, ErrorCodes.InvalidMultipart), (error.Status, error.Code));
    }

    [Fact]
    public async Task AFieldLongerThanTheValueLimitIsRefused()
    {
        var limits = new BodyLimits { MaxValueLength = 10 };
        var body = Multipart(Field("ok", "0123456789"), Field("big", "0123456789x"));

        var error = Error(await ReadAsync(ContentType, body, limits));

        Assert.Equal((400, ErrorCodes.InvalidMultipart, "big"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task FieldsTogetherPastTheFormLimitAreTooLarge()
    {
        var limits = new BodyLimits { MaxFormBytes = 15 };
        var body = Multipart(Field("a", "0123456789"), Field("b", "0123456789"));

        var error = Error(await ReadAsync(ContentType, body, limits));

        Assert.Equal((413, ErrorCodes.PayloadTooLarge), (error.Status, error.Code));
    }

    [Fact]
    public async Task ADuplicateFieldIsRefusedNamingIt()
    {
        var error = Error(await ReadAsync(ContentType, Multipart(Field("a", "1"), Field("a", "2"))));

        Assert.Equal((400, ErrorCodes.InvalidMultipart, "a"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task AFieldThatIsNotUtf8IsRefused()
    {
        byte[] body =
        [
            .. "--"u8, .. System.Text.Encoding.ASCII.GetBytes(Boundary),
            .. "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"u8, 0xC3, 0x28,
            .. "\r\n--"u8, .. System.Text.Encoding.ASCII.GetBytes(Boundary), .. "--\r\n"u8,
        ];
        var context = Context(ContentType, body);

        var result = await RequestBodyReader.ReadAsync(context.Request, BodyLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal((400, ErrorCodes.InvalidMultipart, "a"), (Error(result).Status, Error(result).Code, Error(result).Param));
    }

    [Fact]
    public async Task TooManyFieldsAreRefused()
    {
        var limits = new BodyLimits { MaxFields = 2 };
        var body = Multipart(Field("a", "1"), Field("b", "2"), Field("c", "3"));

        var error = Error(await ReadAsync(ContentType, body, limits));

        Assert.Equal((400, ErrorCodes.InvalidMultipart, "c"), (error.Status, error.Code, error.Param));
    }

    private static string Field(string name, string value) => Part($"form-data; name=\"{name}\"", value);

    private static string Part(string disposition, string content) =>
        $"--{Boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{content}\r\n";

    private static string Multipart(params string[] parts) => string.Concat(parts) + $"--{Boundary}--\r\n";
}
