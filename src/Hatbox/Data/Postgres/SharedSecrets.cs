using System.Security.Cryptography;
using Npgsql;

namespace Hatbox.Data.Postgres;

/// <summary>Reads a shared secret, making it on first use; every node that asks at the same time gets the same bytes.</summary>
internal static class SharedSecrets
{
    public static byte[] GetOrCreate(PlatformDatabase database, string name, int bytes)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        // The first insert wins; a node that races it inserts nothing and reads the winner's value.
        using (var insert = new NpgsqlCommand("""
            INSERT INTO shared_secrets ("Name", "Value") VALUES ($1, $2) ON CONFLICT ("Name") DO NOTHING
            """, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = RandomNumberGenerator.GetBytes(bytes) });
            insert.ExecuteNonQuery();
        }
        using var read = new NpgsqlCommand("""SELECT "Value" FROM shared_secrets WHERE "Name" = $1""", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = name });
        return (byte[])read.ExecuteScalar()!;
    }
}
