using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Workspaces;
using Hatbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Hatbox.Benchmarks;

/// <summary>
/// Hatbox's request pipeline (DESIGN.md §5) in process, without Kestrel, TLS or sockets: what
/// <c>GET /health</c> and <c>POST /authentication</c> cost in Hatbox against the same answers from a
/// bare app (bench/Baseline's endpoints). bench/run.sh measures the whole server, where TLS and the
/// socket dwarf the pipeline and a busy machine moves the figures; here the gap is the pipeline alone.
/// The access log is formatted and buffered as in production, but never written out.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks : IDisposable
{
    string _folder = null!;
    WebApplication _hatbox = null!;
    WebApplication _bare = null!;
    InProcessServer _hatboxServer = null!;
    InProcessServer _bareServer = null!;
    string _authorization = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hatbox-bench-pipeline-").FullName;
        _hatboxServer = new InProcessServer();
        _hatbox = HatboxApp.Build(new ServeSettings(_folder, HttpsPort: 0, HttpPort: 0, ListenAddress: "127.0.0.1"), builder =>
        {
            // A plan whose limits are out of reach, so every request runs every stage and none is refused (as bench/run.sh).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Plans:bench:RequestsPerMinute"] = "1000000000",
                ["Plans:bench:RequestsPerMonth"] = "1000000000000",
            });
            builder.Services.AddSingleton<IServer>(_hatboxServer);
            // The access log as `hatbox serve` writes it, into a buffered console whose output goes nowhere.
            builder.Services.AddSingleton(provider => new Hatbox.Pipeline.AccessLog(new BufferedConsole(Stream.Null), TimeProvider.System));
        });
        await PlatformDatabaseMigrator.MigrateAsync(_hatbox.Services, CancellationToken.None);
        await _hatbox.StartAsync();
        _authorization = "Bearer " + await CreateKeyAsync(_hatbox.Services);

        _bareServer = new InProcessServer();
        var bare = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        bare.Logging.ClearProviders();
        bare.Services.AddSingleton<IServer>(_bareServer);
        _bare = bare.Build();
        BareEndpoints.Map(_bare, Stopwatch.GetTimestamp());
        await _bare.StartAsync();

        // Fills the key cache and pins the organization's API version, as the first real request would.
        await EnsureOkAsync(_hatboxServer, Authentication());
        await EnsureOkAsync(_hatboxServer, Health());
        await EnsureOkAsync(_bareServer, Authentication());
        await EnsureOkAsync(_bareServer, Health());
    }

    static async Task<string> CreateKeyAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<AccountService>().SignUpAsync("bench@example.test", "bench password 123", null, CancellationToken.None);
        var workspace = await services.GetRequiredService<WorkspaceService>()
            .CreateAsync(user.Value!.Id, new CreateWorkspaceRequest(null, "bench", "Bench", "bench"), CancellationToken.None);
        var key = await services.GetRequiredService<ApiKeyService>()
            .CreateAsync(workspace.Value!.Id, user.Value.Id, Actor.Cli, new CreateApiKeyRequest("bench", null), CancellationToken.None);
        return key.Value!.ApiKey;
    }

    static async Task EnsureOkAsync(InProcessServer server, InProcessRequest request)
    {
        var status = await server.SendAsync(request);
        if (status != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"{request.Method} {request.Path} answered {status}");
        }
    }

    static InProcessRequest Health() => new("GET", "/health", []);

    // One header string for every request, as Kestrel hands an unchanged header back on a kept-alive connection.
    InProcessRequest Authentication() => new("POST", "/authentication", [new("Authorization", _authorization)]);

    /// <summary>
    /// <c>Hatbox.Benchmarks pipeline [N] ["authentication"]</c>: each scenario N times per round on one thread,
    /// printing CPU time and bytes allocated per request and Hatbox's extra over the bare app; quicker
    /// than BenchmarkDotNet, for trying changes.
    /// </summary>
    /// <remarks>
    /// The bare app and Hatbox take turns in slices of a few thousand requests, so a slow spell of the
    /// machine (on a shared VM, seconds to minutes long) falls on both sides alike instead of on one round.
    /// </remarks>
    public static async Task LoopAsync(int count, string? only = null)
    {
        const int Slice = 2_000;
        using var bench = new PipelineBenchmarks();
        await bench.SetupAsync();
        (string Name, Func<Task<int>> Bare, Func<Task<int>> Hatbox)[] scenarios =
        [
            ("health", bench.BareHealth, bench.HatboxHealth),
            ("authentication", bench.BareAuthentication, bench.HatboxAuthentication),
        ];
        for (var round = 0; round < 5; round++)
        {
            foreach (var (name, bare, hatbox) in scenarios.Where(s => only is null || s.Name == only))
            {
                var bareCost = new Cost();
                var hatboxCost = new Cost();
                for (var sent = 0; sent < count; sent += Slice)
                {
                    await bareCost.MeasureAsync(bare, Slice);
                    await hatboxCost.MeasureAsync(hatbox, Slice);
                }
                Console.WriteLine($"round {round} {name,-15} bare {bareCost.MicrosecondsPer,6:F2} us {bareCost.BytesPer,5} B  " +
                    $"hatbox {hatboxCost.MicrosecondsPer,6:F2} us {hatboxCost.BytesPer,5} B  " +
                    $"extra {hatboxCost.MicrosecondsPer - bareCost.MicrosecondsPer,5:F2} us {hatboxCost.BytesPer - bareCost.BytesPer,4} B");
            }
        }
    }

    /// <summary>CPU time and bytes allocated, summed over the slices one side sent.</summary>
    sealed class Cost
    {
        TimeSpan _cpu;
        long _bytes;
        long _requests;

        public double MicrosecondsPer => _cpu.TotalMicroseconds / _requests;

        public long BytesPer => _bytes / _requests;

        public async Task MeasureAsync(Func<Task<int>> send, int requests)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < requests; i++)
            {
                await send();
            }
            _cpu += Environment.CpuUsage.TotalTime - cpu;
            _bytes += GC.GetTotalAllocatedBytes(precise: true) - allocated;
            _requests += requests;
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _hatbox.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_hatbox).Dispose();
        _bare.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_bare).Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<int> BareHealth() => _bareServer.SendAsync(Health());

    [Benchmark]
    public Task<int> HatboxHealth() => _hatboxServer.SendAsync(Health());

    [Benchmark]
    public Task<int> BareAuthentication() => _bareServer.SendAsync(Authentication());

    [Benchmark]
    public Task<int> HatboxAuthentication() => _hatboxServer.SendAsync(Authentication());

    /// <summary>
    /// bench/Baseline's two endpoints, the same answers with nothing of Hatbox's pipeline, headers
    /// included (its <c>AnswerHeaders</c>): the gap is what Hatbox's stages decide, not the answer's size.
    /// </summary>
    static class BareEndpoints
    {
        public static void Map(WebApplication app, long started)
        {
            app.MapGet("/health", (HttpResponse response) =>
            {
                Baseline.AnswerHeaders.Write(response, rateLimited: false);
                return TypedResults.Json(
                    new Features.Health.HealthResponse(true, "ok", Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3), "2025-10-28",
                        "production", DateTimeOffset.UtcNow, new Features.Health.HealthServices("ok", "ok", "ok", "unused", "ok", "in-process")),
                    Common.Json.HatboxJsonContext.Default.HealthResponse);
            });
            app.MapPost("/authentication", (HttpResponse response) =>
            {
                Baseline.AnswerHeaders.Write(response, rateLimited: true);
                return TypedResults.Json(
                    new AuthenticationResponse(true, "authenticated", "org_0123456789abcdefghijklmn", "org_0123456789abcdefghijklmn",
                        "ws_0123456789abcdefghijklmn", "bench", "key_0123456789abcdefghijklmn", "admin", "free", "2025-10-28"),
                    Common.Json.HatboxJsonContext.Default.AuthenticationResponse);
            });
        }
    }
}

/// <summary>One request: method, path and headers; no body.</summary>
internal sealed record InProcessRequest(string Method, string Path, KeyValuePair<string, string>[] Headers);

/// <summary>
/// An <see cref="IServer"/> that takes requests from a method call instead of a socket: it builds the
/// request features (as HTTPS), runs the app and returns the status code. The answer's body is discarded.
/// </summary>
internal sealed class InProcessServer : IServer
{
    Func<IFeatureCollection, Task>? _process;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        _process = async features =>
        {
            var context = application.CreateContext(features);
            Exception? failure = null;
            try
            {
                await application.ProcessRequestAsync(context);
            }
            catch (Exception exception)
            {
                failure = exception;
                throw;
            }
            finally
            {
                application.DisposeContext(context, failure);
            }
        };
        return Task.CompletedTask;
    }

    public async Task<int> SendAsync(InProcessRequest request)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = new StringValues(value);
        }
        // Room for what the pipeline adds, as Kestrel's own collection has, so no request pays for growing it.
        var features = new FeatureCollection(initialCapacity: 16);
        var requestFeature = new HttpRequestFeature
        {
            Method = request.Method,
            Scheme = "https",
            Protocol = "HTTP/1.1",
            Path = request.Path,
            Headers = headers,
            Body = Stream.Null,
        };
        // Kestrel keeps a connection's header collections from request to request; a fresh collection
        // with room for Hatbox's headers stands for that, so no request pays for growing a dictionary.
        var responseFeature = new HttpResponseFeature { Headers = new HeaderDictionary(16) };
        features.Set<IHttpRequestFeature>(requestFeature);
        features.Set<IHttpResponseFeature>(responseFeature);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        await _process!(features);
        return responseFeature.StatusCode;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
