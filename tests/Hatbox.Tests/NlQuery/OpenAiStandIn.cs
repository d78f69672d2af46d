using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Hatbox.Tests.Db;

namespace Hatbox.Tests.NlQuery;

/// <summary>
/// A tiny OpenAI-compatible server on 127.0.0.1 and a free port: <c>POST /v1/chat/completions</c>
/// answers each question (the user message's "Question:" line) with its scripted text, in the
/// chat-completions shape the official OpenAI client reads, with token usage. Stopped when disposed.
/// </summary>
public sealed class OpenAiStandIn : IAsyncDisposable
{
    readonly WebApplication _app;

    OpenAiStandIn(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);


    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/v1";

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new OpenAiStandIn(app);
        app.MapPost("/v1/chat/completions", (Delegate)standIn.CompleteAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return standIn;
    }

    async Task<IResult> CompleteAsync(HttpContext http)
    {
        var request = await JsonNode.ParseAsync(http.Request.Body);
        var prompt = string.Join('\n', request!["messages"]!.AsArray().Select(m => m!["content"]?.ToString()));
        var answer = Answers.TryGetValue(ScriptedChatClient.QuestionOf(prompt), out var scripted) ? scripted : "NO_SQL";
        if (answer == "SLOW")
        {
            await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
        }
        if (answer == "ERROR")
        {
            return Results.StatusCode(500);
        }
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-standin",
            ["object"] = "chat.completion",
            ["created"] = 1764720000,
            ["model"] = request["model"]?.ToString(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 42, ["completion_tokens"] = 7, ["total_tokens"] = 49 },
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A Hatbox server configured (Ai:Chat) with the OpenAI-compatible stand-in as its chat model.</summary>
public sealed class OpenAiChatServer : NlQueryServer
{
    public OpenAiStandIn StandIn { get; private set; } = null!;

    protected override Dictionary<string, string?> Settings => DbTestSettings.With(
        ("Ai:Chat:Provider", "openai"), ("Ai:Chat:Endpoint", StandIn.BaseUrl), ("Ai:Chat:Model", "stand-in-model"),
        ("Ai:Chat:ApiKey", "test-key"), ("Ai:Chat:TimeoutSeconds", "2"));

    public override async ValueTask InitializeAsync()
    {
        StandIn = await OpenAiStandIn.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await StandIn.DisposeAsync();
    }
}
