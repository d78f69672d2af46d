using System.Net;
using Hatbox.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Hatbox.Tests.Telemetry;

/// <summary>Traces go to an OTLP endpoint only when one is configured, each span with the request's id.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task WithAnEndpointEachRequestIsASpanCarryingItsRequestId()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var requestIds = new List<string>();
        await using (var server = await TestServer.StartAsync(new() { ["Telemetry:Otlp:Endpoint"] = receiver.Address.ToString() }))
        {
            var tenant = await TestTenant.CreateAsync(server);
            using var http = server.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                using var response = await tenant.AuthenticateAsync(http);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                requestIds.Add(response.Headers.GetValues("Request-Id").Single());
            }
            using var missing = await http.GetAsync("/no-such-route", TestContext.Current.CancellationToken);
            requestIds.Add(missing.Headers.GetValues("Request-Id").Single());
        }
        // Stopping the server flushed the batch of spans to the receiver.

        var traced = receiver.Spans.Where(s => s.ContainsKey("hatbox.request.id")).Select(s => s["hatbox.request.id"]).ToHashSet();
        Assert.All(requestIds, id => Assert.Contains(id, traced));
    }

    [Fact]
    public async Task WithoutAnEndpointNothingIsTraced()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Null(server.Services.GetService<TracerProvider>());
    }
}
