using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Hatbox.Tests.Telemetry;

/// <summary>
/// A real OTLP/HTTP receiver on loopback: accepts <c>POST /v1/traces</c> (protobuf), reads the
/// spans out of each <c>ExportTraceServiceRequest</c> and keeps their string attributes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly List<Dictionary<string, string>> _spans = [];

    OtlpReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<Dictionary<string, string>> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var spans = OtlpTraces.Spans(body.ToArray());
            lock (receiver._spans)
            {
                receiver._spans.AddRange(spans);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Address = new Uri(address);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
