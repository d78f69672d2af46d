using System.Text.Json;
using Hatbox.Common;
using Hatbox.Features.Ai.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Asks the configured <see cref="IChatClient"/> for one SELECT. A model that is down, refuses
/// the connection or takes longer than <see cref="ChatModelOptions.TimeoutSeconds"/> is
/// <c>503 ai_unavailable</c>; one that answers prose is <c>422 question_not_understood</c>; the SQL
/// it does answer is checked by <see cref="GeneratedSqlCheck"/> before anything runs.
/// </summary>
internal sealed partial class ChatEngine(
    IChatClient chat, IOptions<ChatModelOptions> options, IOptions<NlQueryOptions> nlOptions, ChatTokenMeter tokens,
    ILogger<ChatEngine> logger)
{
    public async Task<Outcome<string>> AskAsync(
        NlSchema schema, string question, JsonElement? context, string organizationId, int maxSqlLength, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.System, ChatPrompt.System), new ChatMessage(ChatRole.User, ChatPrompt.User(schema, question, context, nlOptions.Value.ChatSampleValues))],
                new ChatOptions { Temperature = 0 }, timeout.Token);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsUnavailable(exception))
        {
            LogUnavailable(logger, exception.GetType().Name);
            return NlQueryErrors.AiUnavailable();
        }
        await tokens.RecordAsync(organizationId, "nl-query", response, cancellationToken);
        var answer = ChatPrompt.ExtractSql(response.Text ?? "");
        if (answer.Length == 0 || answer.StartsWith("NO_SQL", StringComparison.OrdinalIgnoreCase) || !GeneratedSqlCheck.LooksLikeSql(answer))
        {
            return NlQueryErrors.ModelDidNotAnswerSql();
        }
        var (sql, refusal) = GeneratedSqlCheck.Check(answer, maxSqlLength);
        return sql is null ? NlQueryErrors.Unsafe(refusal!) : sql;
    }

    /// <summary>Timeouts, refused connections, 5xx and unreadable answers: the model's trouble, not the caller's.</summary>
    static bool IsUnavailable(Exception exception) => exception is OperationCanceledException or TimeoutException or HttpRequestException
        or System.ClientModel.ClientResultException or IOException or JsonException or InvalidOperationException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model is unavailable ({Failure}).")]
    static partial void LogUnavailable(ILogger logger, string failure);
}
