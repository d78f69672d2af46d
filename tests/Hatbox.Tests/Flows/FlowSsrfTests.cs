using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Flows;

/// <summary>
/// Outbound calls under the default rules: loopback, private and link-local addresses are refused,
/// whether named literally, through a DNS name, or reached by a redirect. Only loopback servers
/// take part; refused addresses are never connected to. One destination is allowed by configuration
/// (<c>Flows:Http:AllowedDestinations</c>), so the refusals are shown not to be a broken client.
/// </summary>
public sealed class FlowSsrfTests(FlowSsrfTests.Fixture fixture) : IClassFixture<FlowSsrfTests.Fixture>
{
    readonly OutsideService _allowed = fixture.Allowed;
    readonly OutsideService _internal = fixture.Internal;
    readonly TestServer _server = fixture.Server;
    readonly HttpClient _http = fixture.Http;

    public sealed class Fixture : IAsyncLifetime
    {
        public OutsideService Allowed { get; private set; } = null!;
        public OutsideService Internal { get; private set; } = null!;
        public TestServer Server { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Allowed = await OutsideService.StartAsync();
            Internal = await OutsideService.StartAsync();
            Server = await TestServer.StartAsync(new() { ["Flows:Http:AllowedDestinations:0"] = $"127.0.0.1:{Allowed.Port}" });
            Http = Server.CreateClient();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
            await Allowed.DisposeAsync();
            await Internal.DisposeAsync();
        }
    }

    public static TheoryData<string> InternalUrls => new()
    {
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "http://0.0.0.0:{port}/ok",
        "http://127.1.2.3:{port}/ok",
        "http://10.0.0.1/ok",
        "http://172.16.5.4/ok",
        "http://192.168.1.1/ok",
        "http://100.64.0.1/ok",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/ok",
        "http://[fd00::1]/ok",
    };

    [Theory]
    [MemberData(nameof(InternalUrls))]
    public async Task AnHttpStepToAnInternalAddressFailsWithUrlNotAllowed(string url)
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(Call(url.Replace("{port}", _internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("url_not_allowed", FlowCalls.StepErrorCode(failed));
        Assert.Equal(0, _internal.CallsTo("/ok"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/ok")]
    [InlineData("http://localhost:{port}/ok")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task ARedirectToAnInternalAddressIsRefusedToo(string target)
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var to = Uri.EscapeDataString(target.Replace("{port}", _internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var flowId = await flows.CreateAsync(Call($"{_allowed.BaseUrl}/redirect?to={to}"));

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("url_not_allowed", FlowCalls.StepErrorCode(failed));
        Assert.True(_allowed.CallsTo("/redirect") >= 1);
        Assert.Equal(0, _internal.CallsTo("/ok"));
    }

    [Fact]
    public async Task AnAllowedDestinationIsReached()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(Call($"{_allowed.BaseUrl}/ok"));

        var answer = await flows.RunOkAsync(flowId);

        Assert.Equal("world", answer.GetProperty("data").GetProperty("body").GetProperty("hello").GetString());
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/x")]
    [InlineData("http://user:secret@127.0.0.1/")]
    public async Task NonHttpUrlsAreRefused(string url)
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(Call(url));

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("url_not_allowed", FlowCalls.StepErrorCode(failed));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/file.csv")]
    [InlineData("http://localhost:{port}/file.csv")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("file:///etc/passwd")]
    public async Task AFileTriggerByUrlToAnInternalAddressIsRefusedWithUrlNotAllowed(string url)
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "file", steps = new object[] { new { id = "read", uses = "file.read" } } });
        using var form = new MultipartFormDataContent
        {
            { new StringContent(url.Replace("{port}", _internal.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), "url" },
        };

        using var response = await flows.SendAsync(HttpMethod.Post, $"/flows/file/{flowId}", form);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "url_not_allowed");
        Assert.Equal(0, _internal.CallsTo("/file.csv"));
    }

    static object Call(string url) => new { name = "call", steps = new object[] { new { id = "call", uses = "http", with = new { url } } } };
}
