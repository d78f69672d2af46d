using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Hatbox.Tests.NlQuery;

/// <summary>
/// A deterministic chat model: answers each question (the prompt's "Question:" line) with its
/// scripted text, reports 10 input and 5 output tokens, and keeps every prompt it was sent.
/// "SLOW" waits past any timeout; "DOWN" fails as a refused connection does.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    public ConcurrentDictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Prompts { get; } = new();

    public static string QuestionOf(string prompt) =>
        prompt.Split('\n').LastOrDefault(l => l.StartsWith("Question: ", StringComparison.Ordinal))?["Question: ".Length..].Trim() ?? "";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = string.Join('\n', messages.Select(m => m.Text));
        Prompts.Enqueue(prompt);
        var answer = Answers.TryGetValue(QuestionOf(prompt), out var scripted) ? scripted : "NO_SQL";
        switch (answer)
        {
            case "SLOW":
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
                break;
            case "DOWN":
                throw new HttpRequestException("Connection refused");
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = "scripted",
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
