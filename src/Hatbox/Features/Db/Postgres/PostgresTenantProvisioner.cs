using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// Makes a tenant's login role and schema (reference/security.md §b.2): the role owns only its
/// schema, is a member of nothing (so <c>SET ROLE</c> and <c>RESET ROLE</c> gain it nothing), may
/// not create roles, databases or extensions, and has statement and idle-in-transaction timeouts
/// and its schema as <c>search_path</c> as defaults (each request also sets them itself). Names are
/// hex digests of the workspace and environment, never request text, and say nothing about who owns them.
/// </summary>
internal sealed class PostgresTenantProvisioner(TenantStoreOptions store, DbOptions options) : IDisposable
{
    readonly SemaphoreSlim _hardening = new(1, 1);
    byte[]? _passwordKey;

    public static string NameOf(string workspaceId, DbEnvironment environment) =>
        "t_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{workspaceId}/{environment.Name()}")))[..28];

    /// <summary>The tenant's password, derived from a key only the admin login can read: every node computes the same one.</summary>
    string PasswordOf(string role) => Convert.ToHexStringLower(HMACSHA256.HashData(_passwordKey!, Encoding.UTF8.GetBytes(role)));

    /// <summary>Creates the role and schema if missing (any node, any number of times); answers the tenant's connection string.</summary>
    public async Task<string> EnsureAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken)
    {
        await HardenDatabaseAsync(cancellationToken);
        var role = NameOf(workspaceId, environment);
        var password = PasswordOf(role);
        await using var admin = new NpgsqlConnection(store.ConnectionString);
        await admin.OpenAsync(cancellationToken);
        await using var transaction = await admin.BeginTransactionAsync(cancellationToken);
        // Two nodes provisioning the same tenant at once: the second waits, then finds it done.
        await ExecuteAsync(admin, $"SELECT pg_advisory_xact_lock(hashtext('{role}'))", cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", admin) { Parameters = { new() { Value = role } } })
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Role and password are hex: safe to write into a utility statement, which takes no parameters.
                await ExecuteAsync(admin, $"""
                    CREATE ROLE "{role}" LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT
                        NOREPLICATION NOBYPASSRLS CONNECTION LIMIT {store.MaxServerConnectionsPerTenant}
                    """, cancellationToken);
            }
        }
        var timeout = options.QueryTimeoutMilliseconds;
        await ExecuteAsync(admin, $"""
            CREATE SCHEMA IF NOT EXISTS "{role}" AUTHORIZATION "{role}";
            REVOKE ALL ON SCHEMA "{role}" FROM PUBLIC;
            ALTER ROLE "{role}" CONNECTION LIMIT {store.MaxServerConnectionsPerTenant};
            ALTER ROLE "{role}" SET search_path = "{role}";
            ALTER ROLE "{role}" SET statement_timeout = {timeout};
            ALTER ROLE "{role}" SET idle_in_transaction_session_timeout = {Math.Max(1_000, timeout * 2)};
            ALTER ROLE "{role}" SET lock_timeout = {timeout};
            DO $grant$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO "{role}"', current_database()); END $grant$;
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            Username = role,
            Password = password,
            SearchPath = role,
            // This node's timeouts as the session's own settings (they win over the role's defaults,
            // which another node's configuration may have written); RESET ALL returns to them.
            Options = $"-c statement_timeout={timeout} -c lock_timeout={timeout}",
            // The pool resets each connection it hands out again (DISCARD ALL, or RESET ALL and the rest
            // of it when statements are prepared): PostgresTenantDatabase runs statements without
            // SET LOCAL pins and relies on it. Npgsql's default, stated so nobody turns it off.
            NoResetOnClose = false,
            MaxPoolSize = store.MaxConnectionsPerTenant,
            // A tenant's connections are closed soon after its last request; roles are many, connections dear.
            ConnectionIdleLifetime = 30,
        }.ToString();
    }

    /// <summary>
    /// Once per node: what PUBLIC may do in the tenants' database goes, so a tenant role holds only
    /// what it is granted: no CONNECT or TEMP for everyone, no <c>public</c> schema, no large objects
    /// (database-wide, so a channel between tenants), and the secret behind the passwords.
    /// </summary>
    async Task HardenDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_passwordKey is not null)
        {
            return;
        }
        await _hardening.WaitAsync(cancellationToken);
        try
        {
            if (_passwordKey is not null)
            {
                return;
            }
            await using var admin = new NpgsqlConnection(store.ConnectionString);
            await admin.OpenAsync(cancellationToken);
            await using var transaction = await admin.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(admin, "SELECT pg_advisory_xact_lock(hashtext('hatbox_tenancy'))", cancellationToken);
            await ExecuteAsync(admin, """
                DO $harden$
                DECLARE f regprocedure;
                BEGIN
                    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
                    REVOKE ALL ON SCHEMA public FROM PUBLIC;
                    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                             WHERE n.nspname = 'pg_catalog' AND (p.proname LIKE 'lo\_%' OR p.proname IN ('loread', 'lowrite'))
                    LOOP
                        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
                    END LOOP;
                END $harden$;
                CREATE SCHEMA IF NOT EXISTS hatbox_tenancy;
                REVOKE ALL ON SCHEMA hatbox_tenancy FROM PUBLIC;
                CREATE TABLE IF NOT EXISTS hatbox_tenancy.password_key (id int PRIMARY KEY, key bytea NOT NULL);
                """, cancellationToken);
            // The first node's key wins; the others read it.
            await using (var insert = new NpgsqlCommand("INSERT INTO hatbox_tenancy.password_key VALUES (1, $1) ON CONFLICT (id) DO NOTHING", admin)
            {
                Parameters = { new() { Value = RandomNumberGenerator.GetBytes(32) } },
            })
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var read = new NpgsqlCommand("SELECT key FROM hatbox_tenancy.password_key WHERE id = 1", admin);
            var key = (byte[])(await read.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            _passwordKey = key;
        }
        finally
        {
            _hardening.Release();
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the server answers the admin login, on a connection outside the pool (a pooled one may be dead).</summary>
    public async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var probe = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false, Timeout = 2 };
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 2 };
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _hardening.Dispose();
}
