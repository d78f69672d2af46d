using System.Reflection;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Hatbox.UnitTests.Binding.TestRequests;

namespace Hatbox.UnitTests.Binding;

public sealed class BodyBindingTests
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public async Task AJsonBodyBindsToARecord()
    {
        var probe = await BindAsync<Probe>("application/json",
            """{"name":"Ada","count":3,"price":9.5,"active":true,"kind":"Table","tags":["a"],"address":{"city":"Pune","zip":411001}}""");

        Assert.Equal(("Ada", 3, 9.5m, true, (bool?)null, ProbeKind.Table), (probe.Name, probe.Count, probe.Price, probe.Active, probe.Flag, probe.Kind));
        Assert.Equal(["a"], probe.Tags ?? []);
        Assert.Equal(new ProbeAddress("Pune", 411001), probe.Address);
    }

    [Fact]
    public async Task FormStringsBindToNumbersBooleansEnumsListsAndObjects()
    {
        var probe = await BindAsync<Probe>(Form,
            "name=Ada&count=42&price=9.5&active=true&flag=false&kind=table&tags[]=a&tags[]=b&address[city]=Pune&address[zip]=411001");

        Assert.Equal(("Ada", 42, 9.5m, true, false, ProbeKind.Table), (probe.Name, probe.Count, probe.Price, probe.Active, probe.Flag, probe.Kind));
        Assert.Equal(["a", "b"], probe.Tags ?? []);
        Assert.Equal(new ProbeAddress("Pune", 411001), probe.Address);
    }

    [Fact]
    public async Task MultipartFieldsBindLikeFormFields()
    {
        const string body = "--b\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n7\r\n" +
            "--b\r\nContent-Disposition: form-data; name=\"active\"\r\n\r\nfalse\r\n--b--\r\n";

        var probe = await BindAsync<Probe>("multipart/form-data; boundary=b", body);

        Assert.Equal((7, false), (probe.Count, probe.Active));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("True")]
    [InlineData("")]
    public async Task OnlyTrueAndFalseBindToABoolean(string value)
    {
        var error = await RejectedAsync<Probe>(Form, "active=" + value);

        Assert.Equal((400, ErrorCodes.ParameterInvalid, "active"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task ANullableBooleanAlsoRefusesOtherStrings()
    {
        var error = await RejectedAsync<Probe>(Form, "flag=on");

        Assert.Equal((400, ErrorCodes.ParameterInvalid, "flag"), (error.Status, error.Code, error.Param));
    }

    [Theory]
    [InlineData("count=abc", "count")]
    [InlineData("count=1.5", "count")]
    [InlineData("address[zip]=abc", "address.zip")]
    [InlineData("items[0][qty]=2&items[1][qty]=x", "items[1].qty")]
    [InlineData("kind=chair", "kind")]
    public async Task AValueThatDoesNotFitNamesItsPath(string form, string param)
    {
        var error = await RejectedAsync<Probe>(Form, form);

        Assert.Equal((400, ErrorCodes.ParameterInvalid, param), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task AJsonTypeMismatchNamesItsPath()
    {
        var error = await RejectedAsync<Probe>("application/json", """{"name":{"first":"Ada"}}""");

        Assert.Equal((400, ErrorCodes.ParameterInvalid, "name"), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public async Task TheRawBodyBindsAsAJsonObject()
    {
        var body = await BindAsync<JsonObject>(Form, "data[name]=x&n=1");

        Assert.Equal("""{"data":{"name":"x"},"n":"1"}""", body.ToJsonString());
    }

    [Fact]
    public async Task AReaderErrorIsRejectedWithItsOwnStatusAndCode()
    {
        var error = await RejectedAsync<Probe>("text/plain", "hello");

        Assert.Equal((415, ErrorCodes.UnsupportedMediaType), (error.Status, error.Code));
    }

    [Fact]
    public async Task LimitsComeFromTheServiceProviderWhenRegistered()
    {
        var context = Context(Form, "a=1&b=2&c=3");
        context.RequestServices = new ServiceCollection().AddSingleton(new BodyLimits { MaxFields = 2 }).BuildServiceProvider();

        var rejected = await Assert.ThrowsAsync<RequestRejectedException>(() => Body<JsonObject>.BindAsync(context, Parameter).AsTask());

        Assert.Equal((400, ErrorCodes.InvalidForm, "c"), (rejected.Error.Status, rejected.Error.Code, rejected.Error.Param));
    }

    [Fact]
    public async Task MinimalApisBindTheBodyThroughBindAsync()
    {
        var handler = RequestDelegateFactory.Create((Body<Probe> body) => $"{body.Value.Name}:{body.Value.Count}").RequestDelegate;
        var context = Context(Form, "name=Ada&count=2");
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        context.Response.Body = new MemoryStream();

        await handler(context);

        context.Response.Body.Position = 0;
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("Ada:2", await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    private static ParameterInfo Parameter { get; } =
        typeof(BodyBindingTests).GetMethod(nameof(Handler), BindingFlags.NonPublic | BindingFlags.Static)!.GetParameters()[0];

    private static void Handler(Body<JsonObject> body) => _ = body;

    private static async Task<T> BindAsync<T>(string contentType, string body)
    {
        var bound = await Body<T>.BindAsync(Context(contentType, body), Parameter);
        return Assert.IsType<Body<T>>(bound).Value;
    }

    private static async Task<ApiError> RejectedAsync<T>(string contentType, string body)
    {
        var rejected = await Assert.ThrowsAsync<RequestRejectedException>(
            () => Body<T>.BindAsync(Context(contentType, body), Parameter).AsTask());
        return rejected.Error;
    }
}

internal enum ProbeKind
{
    Table,
    Chart,
}

internal sealed record ProbeAddress(string City, int Zip);

internal sealed record ProbeItem(int Qty);

internal sealed record Probe(
    string? Name, int Count, decimal Price, bool Active, bool? Flag, ProbeKind Kind,
    string[]? Tags = null, ProbeAddress? Address = null, ProbeItem[]? Items = null);
