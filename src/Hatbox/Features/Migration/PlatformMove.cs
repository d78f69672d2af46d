using System.Reflection;
using System.Xml.Linq;
using Hatbox.Data;
using Hatbox.Data.Postgres;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Hatbox.Features.Migration;

/// <summary>
/// The platform's tables, from the embedded <c>hatbox.db</c> to PostgreSQL, through the same EF
/// model on both sides: every entity of every table with its keys, ids and hashes as they are, so
/// API keys and sessions keep working. The data folder's own secrets (the URL-signing key and the
/// Data Protection key ring) become the rows a PostgreSQL platform keeps them in.
/// </summary>
internal sealed class PlatformMove(string dataDirectory, PlatformOptions target)
{
    const int BatchRows = 500;
    const string UrlSigningSecret = "url-signing-key";

    static readonly MethodInfo CopyTableMethod = typeof(PlatformMove).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    static readonly MethodInfo ChecksumMethod = typeof(PlatformMove).GetMethod(nameof(ChecksumAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public HatboxDbContext OpenSource() => new(Options(new PlatformDatabase(dataDirectory)));

    public HatboxDbContext OpenTarget() => new(Options(new PlatformDatabase(dataDirectory, target)));

    static DbContextOptions<HatboxDbContext> Options(PlatformDatabase database) =>
        (DbContextOptions<HatboxDbContext>)PlatformDatabaseServiceCollectionExtensions
            .Configure(new DbContextOptionsBuilder<HatboxDbContext>(), database).Options;

    /// <summary>Creates the target's schema (its migrations) and refuses if any of its tables holds a row.</summary>
    public async Task PrepareTargetAsync(CancellationToken cancellationToken)
    {
        await using var db = OpenTarget();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw MoveFailure.Config($"The target platform database cannot be prepared: {e.Message}");
        }
        var filled = new List<string>();
        foreach (var table in Tables(db))
        {
            if (await HasRowsAsync(table, cancellationToken))
            {
                filled.Add(table);
            }
        }
        if (filled.Count > 0)
        {
            throw MoveFailure.NotEmpty($"The target platform database already has rows in {string.Join(", ", filled)}. "
                + "Move only into an empty database (docs/scale-out.md, \"Moving an embedded installation\").");
        }
    }

    public async Task CopyAsync(CancellationToken cancellationToken)
    {
        await using var source = OpenSource();
        foreach (var entity in InDependencyOrder(source.Model))
        {
            await using var destination = OpenTarget();
            await (Task)CopyTableMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [source, destination, cancellationToken])!;
        }
        await using var db = OpenTarget();
        foreach (var key in SourceKeyRing())
        {
            db.DataProtectionKeys.Add(key);
        }
        if (SourceSigningKey() is { } signingKey)
        {
            db.Set<SharedSecret>().Add(new SharedSecret { Name = UrlSigningSecret, Value = signingKey });
        }
        await db.SaveChangesAsync(cancellationToken);
        await ResetSequencesAsync(cancellationToken);
    }

    /// <summary>Counts and checksums of every table on both sides (the two secret tables against the data folder's files).</summary>
    public async Task<Dictionary<string, TableReport>> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var source = OpenSource();
        await using var destination = OpenTarget();
        var report = new Dictionary<string, TableReport>(StringComparer.Ordinal);
        foreach (var entity in InDependencyOrder(source.Model))
        {
            var checksum = ChecksumMethod
                .MakeGenericMethod(entity.ClrType).CreateDelegate<Func<DbContext, IEntityType, CancellationToken, Task<RowChecksum>>>();
            var before = await checksum(source, entity, cancellationToken);
            var after = await checksum(destination, destination.Model.FindEntityType(entity.ClrType)!, cancellationToken);
            report[entity.GetTableName()!] = new TableReport(before.Rows, after.Rows, before.Hex(), after.Hex());
        }
        report["data_protection_keys"] = Compare(
            SourceKeyRing().Select(k => (object?[])[k.FriendlyName, k.Xml]),
            (await destination.DataProtectionKeys.AsNoTracking().ToListAsync(cancellationToken)).Select(k => (object?[])[k.FriendlyName, k.Xml]));
        report["shared_secrets"] = Compare(
            SourceSigningKey() is { } key ? [[UrlSigningSecret, key]] : [],
            (await destination.Set<SharedSecret>().AsNoTracking().ToListAsync(cancellationToken)).Select(s => (object?[])[s.Name, s.Value]));
        return report;
    }

    static TableReport Compare(IEnumerable<object?[]> source, IEnumerable<object?[]> target)
    {
        var (before, after) = (new RowChecksum(), new RowChecksum());
        foreach (var (rows, sum) in new[] { (source, before), (target, after) })
        {
            foreach (var row in rows)
            {
                foreach (var value in row)
                {
                    sum.Add(value);
                }
                sum.EndRow();
            }
        }
        return new TableReport(before.Rows, after.Rows, before.Hex(), after.Hex());
    }

    static async Task CopyTableAsync<T>(HatboxDbContext source, HatboxDbContext target, CancellationToken cancellationToken) where T : class
    {
        var times = source.Model.FindEntityType(typeof(T))!.GetProperties()
            .Where(p => p.PropertyInfo is not null && Nullable.GetUnderlyingType(p.ClrType) is var inner && (inner ?? p.ClrType) == typeof(DateTimeOffset))
            .Select(p => p.PropertyInfo!).ToArray();
        var pending = 0;
        await foreach (var row in source.Set<T>().AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            // SQLite keeps each value's offset; PostgreSQL's timestamptz takes UTC only. Same instant.
            foreach (var time in times)
            {
                if (time.GetValue(row) is DateTimeOffset value)
                {
                    time.SetValue(row, value.ToUniversalTime());
                }
            }
            target.Add(row);
            if (++pending == BatchRows)
            {
                await target.SaveChangesAsync(cancellationToken);
                target.ChangeTracker.Clear();
                pending = 0;
            }
        }
        await target.SaveChangesAsync(cancellationToken);
    }

    static async Task<RowChecksum> ChecksumAsync<T>(DbContext db, IEntityType entity, CancellationToken cancellationToken) where T : class
    {
        var properties = entity.GetProperties().Where(p => p.PropertyInfo is not null).OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.PropertyInfo!).ToArray();
        var sum = new RowChecksum();
        await foreach (var row in db.Set<T>().AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            foreach (var property in properties)
            {
                sum.Add(property.GetValue(row));
            }
            sum.EndRow();
        }
        return sum;
    }

    /// <summary>Principals before the tables whose foreign keys point at them, so every insert finds its parent.</summary>
    static List<IEntityType> InDependencyOrder(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).ToList();
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        void Place(IEntityType entity, HashSet<IEntityType> visiting)
        {
            if (placed.Contains(entity) || !visiting.Add(entity))
            {
                return;
            }
            foreach (var key in entity.GetForeignKeys())
            {
                Place(key.PrincipalEntityType, visiting);
            }
            placed.Add(entity);
            ordered.Add(entity);
        }
        foreach (var entity in entities.OrderBy(e => e.GetTableName(), StringComparer.Ordinal))
        {
            Place(entity, []);
        }
        return ordered;
    }

    static IEnumerable<string> Tables(DbContext db) =>
        db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>Identity columns continue after the largest id copied, as SQLite's would have.</summary>
    async Task ResetSequencesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var columns = new List<(string Table, string Column)>();
        await using (var find = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
            """, connection))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (table, column) in columns)
        {
            // Names come from the catalog and are quoted; the sequence is looked up by parameters.
            await using var reset = new NpgsqlCommand($"""
                SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max({Quote(column)}) FROM {Quote(table)}), 0) + 1, false)
                """, connection)
            {
                Parameters = { new() { Value = Quote(table) }, new() { Value = column } },
            };
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    async Task<bool> HasRowsAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table)})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    List<DataProtectionKey> SourceKeyRing()
    {
        var folder = new DirectoryInfo(Path.Combine(dataDirectory, "keys"));
        if (!folder.Exists)
        {
            return [];
        }
        // As EF's key repository stores them: the file name without .xml, the element unformatted.
        return folder.EnumerateFiles("*.xml").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new DataProtectionKey
        {
            FriendlyName = Path.GetFileNameWithoutExtension(f.Name),
            Xml = XElement.Load(f.FullName).ToString(SaveOptions.DisableFormatting),
        }).ToList();
    }

    byte[]? SourceSigningKey()
    {
        var path = Path.Combine(dataDirectory, "secrets", "url-signing.key");
        return File.Exists(path)
            ? Storage.DownloadSigningKey.Decode(File.ReadAllText(path)) ?? throw MoveFailure.CannotMove($"{path} does not hold a URL-signing key.")
            : null;
    }

    static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
