using Npgsql;

namespace Hatbox.Features.Migration;

/// <summary>What a move would fill that is there already: a move goes only into empty targets.</summary>
internal static class TargetSchemas
{
    /// <summary>Those of <paramref name="names"/> that the target database already has as schemas, sorted.</summary>
    public static async Task<List<string>> ExistingAsync(string? connectionString, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1", admin)
        {
            Parameters = { new() { Value = names.ToArray() } },
        };
        var existing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add(reader.GetString(0));
        }
        return existing;
    }
}
