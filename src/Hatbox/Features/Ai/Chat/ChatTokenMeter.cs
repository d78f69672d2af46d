using Hatbox.Data;
using Hatbox.Features.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Hatbox.Features.Ai.Chat;

/// <summary>
/// Adds the tokens a chat answer reports to its organization's day. One statement per model call:
/// a call takes hundreds of milliseconds, so batching would save nothing worth the risk of losing counts.
/// </summary>
internal sealed class ChatTokenMeter(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task RecordAsync(string organizationId, string feature, ChatResponse response, CancellationToken cancellationToken)
    {
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        var model = response.ModelId is { Length: > 0 and <= 200 } id ? id : "unknown";
        var day = BillingMonth.Day(time.GetUtcNow());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO chat_token_usage (OrganizationId, Day, Feature, Model, Calls, InputTokens, OutputTokens)
            VALUES ({organizationId}, {day}, {feature}, {model}, 1, {input}, {output})
            ON CONFLICT (OrganizationId, Day, Feature, Model) DO UPDATE SET
                Calls = Calls + 1, InputTokens = InputTokens + excluded.InputTokens, OutputTokens = OutputTokens + excluded.OutputTokens
            """, CancellationToken.None);
    }
}
