using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Hatbox.Tests.Flows;

/// <summary>
/// A stand-in for the outside services that <c>http</c> steps call: a real HTTP server on a loopback
/// port, with endpoints that answer, fail once, stall, redirect, or send too much. It records the
/// <c>Idempotency-Key</c> of every call.
/// </summary>
public sealed class OutsideService : IAsyncDisposable
{
    readonly WebApplication _app;

    OutsideService(WebApplication app)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = address.TrimEnd('/');
        Port = new Uri(BaseUrl).Port;
    }

    public string BaseUrl { get; }

    public int Port { get; }

    /// <summary>Idempotency keys of calls, by path, in arrival order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Calls { get; } = new();

    /// <summary>What <c>/hang</c> waits for; set it to let stalled calls answer.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when <c>/hang</c> is first called.</summary>
    public TaskCompletionSource HangReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<OutsideService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OutsideService? service = null;
        var failures = new ConcurrentDictionary<string, int>();
        app.Use(async (context, next) =>
        {
            var key = context.Request.Headers["Idempotency-Key"].ToString();
            service!.Calls.GetOrAdd(context.Request.Path, _ => new ConcurrentQueue<string>()).Enqueue(key);
            await next(context);
        });
        app.MapGet("/ok", () => Results.Json(new { hello = "world" }));
        app.MapPost("/echo", async (HttpRequest request) => Results.Text(await new StreamReader(request.Body).ReadToEndAsync(), "application/json"));
        // Fails the first call of each idempotency key, then answers: a retry with the same key succeeds.
        app.MapGet("/flaky", (HttpRequest request) =>
            failures.AddOrUpdate(request.Headers["Idempotency-Key"].ToString(), 1, (_, n) => n + 1) == 1
                ? Results.StatusCode(503)
                : Results.Json(new { attempt = failures[request.Headers["Idempotency-Key"].ToString()] }));
        app.MapGet("/fail", () => Results.StatusCode(500));
        app.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20), ct);
            return Results.Ok();
        });
        app.MapGet("/hang", async () =>
        {
            service!.HangReached.TrySetResult();
            await service.Release.Task;
            return Results.Json(new { released = true });
        });
        app.MapGet("/big", () => Results.Text(new string('x', 2 * 1024 * 1024)));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/file.csv", () => Results.Text("name,qty\nbolt,3\nnut,5\n", "text/csv"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        service = new OutsideService(app);
        return service;
    }

    public int CallsTo(string path) => Calls.TryGetValue(path, out var calls) ? calls.Count : 0;

    public async ValueTask DisposeAsync()
    {
        Release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
