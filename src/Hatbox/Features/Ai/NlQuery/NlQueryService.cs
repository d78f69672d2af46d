using System.Text.Json;
using Hatbox.Common;
using Hatbox.Features.Ai.Chat;
using Hatbox.Features.Db;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>What a question turned into and what it answered.</summary>
internal sealed record NlAnswer(QueryResult Result, GeneratedSql Sql, string Engine);

/// <summary>
/// Answers a question: the built-in engine (first, or only when no chat model is configured), else
/// the chat model; whichever wrote the SQL, it passes <see cref="GeneratedSqlCheck"/> and then runs
/// through <see cref="ITenantDatabase.ReadOnlyQueryAsync"/>, never any other way.
/// </summary>
internal sealed class NlQueryService(
    NlSchemaReader schemas, BuiltInEngine builtIn, IServiceProvider services, IOptions<ChatModelOptions> chatOptions,
    IOptions<DbOptions> dbOptions)
{
    public const string BuiltInName = "built-in";
    public const string ChatName = "chat";

    public async Task<Outcome<NlAnswer>> AnswerAsync(
        string workspaceId, string organizationId, ITenantDatabase database, DbEnvironment environment, string question,
        JsonElement? context, CancellationToken cancellationToken)
    {
        var onlyTableName = context is { ValueKind: JsonValueKind.Object } hints && hints.TryGetProperty("table", out var table)
            && table.ValueKind == JsonValueKind.String ? table.GetString() : null;
        var schema = await schemas.ReadAsync(workspaceId, environment, database, cancellationToken);
        if (!schema.Succeeded)
        {
            return schema.Error!;
        }
        NlTable? onlyTable = null;
        if (onlyTableName is not null)
        {
            onlyTable = schema.Value!.Find(onlyTableName);
            if (onlyTable is null)
            {
                return DbErrors.TableNotFound(onlyTableName, environment, "context.table");
            }
        }
        var chat = services.GetService<IChatClient>() is null ? null : services.GetRequiredService<ChatEngine>();
        var restricted = onlyTable is null ? schema.Value! : new NlSchema([onlyTable]);
        if (chat is not null && !chatOptions.Value.BuiltInFirst)
        {
            return await AskChatAsync(chat, organizationId, database, restricted, question, context, cancellationToken);
        }
        var plan = await builtIn.PlanAsync(schema.Value!, question, onlyTable, dbOptions.Value.MaxRows, cancellationToken);
        if (plan.Plan is not null)
        {
            return await RunAsync(database, PlanSql.Write(plan.Plan), BuiltInName, cancellationToken);
        }
        return chat is null
            ? NlQueryErrors.NotUnderstood(plan.Reason!, chatConfigured: false)
            : await AskChatAsync(chat, organizationId, database, restricted, question, context, cancellationToken);
    }

    async Task<Outcome<NlAnswer>> AskChatAsync(
        ChatEngine chat, string organizationId, ITenantDatabase database, NlSchema schema, string question, JsonElement? context,
        CancellationToken cancellationToken)
    {
        var sql = await chat.AskAsync(schema, question, context, organizationId, dbOptions.Value.MaxStatementBytes, cancellationToken);
        return !sql.Succeeded ? sql.Error! : await RunAsync(database, new GeneratedSql(sql.Value!, []), ChatName, cancellationToken);
    }

    async Task<Outcome<NlAnswer>> RunAsync(ITenantDatabase database, GeneratedSql generated, string engine, CancellationToken cancellationToken)
    {
        var (checkedSql, refusal) = GeneratedSqlCheck.Check(generated.Sql, dbOptions.Value.MaxStatementBytes);
        if (checkedSql is null)
        {
            return NlQueryErrors.Unsafe(refusal!);
        }
        var ran = await database.ReadOnlyQueryAsync(checkedSql, generated.Bound, cancellationToken);
        if (!ran.Succeeded)
        {
            // The engine refused what the text check let through: still generated SQL that must not run.
            return ran.Error!.Code == Common.Errors.ErrorCodes.QueryNotAllowed ? NlQueryErrors.Unsafe(ran.Error.Message) : ran.Error;
        }
        return new NlAnswer(ran.Value!, generated with { Sql = checkedSql }, engine);
    }
}
