namespace Hatbox.Features.Db.Postgres;

/// <summary>The catalog reads behind list, count and schema, limited to the tenant's own schema ($1).</summary>
internal static class PostgresCatalog
{
    public const string ListTables = """
        SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v')
        ORDER BY c.relname
        """;

    /// <summary>
    /// Table name, then one row per column: name, type, nullable, default, primary key. The name
    /// matches exactly or as PostgreSQL folds an unquoted one (<c>Users</c> finds <c>users</c>).
    /// </summary>
    public const string Columns = """
        SELECT c.relname, a.attname::text, format_type(a.atttypid, a.atttypmod),
               CASE WHEN a.attnotnull THEN 0::int8 ELSE 1::int8 END, pg_get_expr(d.adbin, d.adrelid),
               CASE WHEN a.attnum = ANY (i.indkey) THEN 1::int8 ELSE 0::int8 END
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v')
          AND c.relname = (SELECT coalesce(
                (SELECT relname FROM pg_class x WHERE x.relnamespace = n.oid AND x.relname = $2),
                lower($2)))
        ORDER BY a.attnum
        """;
}
