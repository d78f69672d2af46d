using System.Data;
using System.Data.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>A total to add to one <see cref="UsageDaily"/> row.</summary>
internal readonly record struct UsageRow(UsageKey Key, long Requests, long BytesIn, long BytesOut, long DurationMicroseconds);

/// <summary>
/// Adds totals to the <see cref="UsageDaily"/> rows in one transaction, on one connection kept open:
/// group commits come hundreds of times a second under load, and a new context, connection and EF
/// command each time cost more CPU than the commit's own fsync wait.
/// The SQL is valid in SQLite and PostgreSQL alike. Used by one commit at a time.
/// </summary>
internal sealed class UsageWriter(IServiceScopeFactory scopes) : IAsyncDisposable
{
    // Quoted names: PostgreSQL folds bare ones to lower case (EF Core created them quoted).
    const string Upsert = """
        INSERT INTO usage_daily ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode", "Requests", "BytesIn", "BytesOut", "DurationMs")
        VALUES (@organization, @day, @workspace, @key, @group, @status, @requests, @bytesIn, @bytesOut, @durationMs)
        ON CONFLICT ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode") DO UPDATE SET
            "Requests" = usage_daily."Requests" + excluded."Requests", "BytesIn" = usage_daily."BytesIn" + excluded."BytesIn",
            "BytesOut" = usage_daily."BytesOut" + excluded."BytesOut", "DurationMs" = usage_daily."DurationMs" + excluded."DurationMs"
        """;

    // The usage journal's mark: the last segment folded into usage_daily by a node, kept in a row
    // of its own (no organization has the empty id, so no statement or quota ever sums it) and
    // written in the same transaction as the counts, so a segment is either folded and marked or neither.
    const string JournalOrganization = "";
    const string JournalDay = "journal";
    const string Mark = """
        INSERT INTO usage_daily ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode", "Requests", "BytesIn", "BytesOut", "DurationMs")
        VALUES (@organization, @day, '', @key, 'journal', 0, @segment, 0, 0, 0)
        ON CONFLICT ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode") DO UPDATE SET "Requests" = excluded."Requests"
        """;
    const string ReadMark = """
        SELECT "Requests" FROM usage_daily WHERE "OrganizationId" = @organization AND "Day" = @day AND "WorkspaceId" = '' AND "KeyId" = @key
            AND "EndpointGroup" = 'journal' AND "StatusCode" = 0
        """;

    static readonly string[] ParameterNames =
        ["@organization", "@day", "@workspace", "@key", "@group", "@status", "@requests", "@bytesIn", "@bytesOut", "@durationMs"];

    AsyncServiceScope? _scope;
    DbConnection? _connection;
    (DbCommand Command, DbParameter[] Parameters)? _upsert;

    /// <summary>
    /// Adds <paramref name="batch"/> and, when <paramref name="journal"/> is set, marks that node's
    /// journal folded through that segment, in one transaction.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<UsageRow> batch, CancellationToken cancellationToken, (string NodeId, long Segment)? journal = null)
    {
        try
        {
            var connection = await ConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (command, parameters) = _upsert ??= CreateUpsert(connection);
            command.Transaction = transaction;
            foreach (var row in batch)
            {
                parameters[0].Value = row.Key.OrganizationId;
                parameters[1].Value = row.Key.Day;
                parameters[2].Value = row.Key.WorkspaceId;
                parameters[3].Value = row.Key.KeyId;
                parameters[4].Value = row.Key.EndpointGroup;
                parameters[5].Value = row.Key.StatusCode;
                parameters[6].Value = row.Requests;
                parameters[7].Value = row.BytesIn;
                parameters[8].Value = row.BytesOut;
                parameters[9].Value = row.DurationMicroseconds / 1000.0;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (journal is { } mark)
            {
                await using var marking = connection.CreateCommand();
                marking.Transaction = transaction;
                marking.CommandText = Mark;
                AddParameter(marking, "@organization", JournalOrganization);
                AddParameter(marking, "@day", JournalDay);
                AddParameter(marking, "@key", mark.NodeId);
                AddParameter(marking, "@segment", mark.Segment);
                await marking.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException)
        {
            // A connection that failed once is not trusted again.
            await CloseAsync();
            throw;
        }
    }

    /// <summary>The last journal segment of <paramref name="nodeId"/> already folded into usage_daily, or -1.</summary>
    public async Task<long> JournalMarkAsync(string nodeId, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await ConnectionAsync(cancellationToken);
            await using var reading = connection.CreateCommand();
            reading.CommandText = ReadMark;
            AddParameter(reading, "@organization", JournalOrganization);
            AddParameter(reading, "@day", JournalDay);
            AddParameter(reading, "@key", nodeId);
            return await reading.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        catch (DbException)
        {
            await CloseAsync();
            throw;
        }
    }

    static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // One command for the connection's life: the provider compiles its SQL once, not at every commit.
    static (DbCommand, DbParameter[]) CreateUpsert(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Upsert;
        var parameters = ParameterNames.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        return (command, parameters);
    }

    async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: ConnectionState.Open } open)
        {
            return open;
        }
        await CloseAsync();
        _scope = scopes.CreateAsyncScope();
        var db = _scope.Value.ServiceProvider.GetRequiredService<HatboxDbContext>();
        // Through EF, so the connection gets the same set-up (synchronous=FULL) as every other.
        await db.Database.OpenConnectionAsync(cancellationToken);
        _connection = db.Database.GetDbConnection();
        return _connection;
    }

    async Task CloseAsync()
    {
        if (_upsert is { } upsert)
        {
            _upsert = null;
            await upsert.Command.DisposeAsync();
        }
        _connection = null;
        if (_scope is { } scope)
        {
            _scope = null;
            await scope.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
