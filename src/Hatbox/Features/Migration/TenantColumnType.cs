using NpgsqlTypes;

namespace Hatbox.Features.Migration;

/// <summary>A PostgreSQL column type a SQLite column moves to, and how each SQLite value becomes one of its values.</summary>
internal sealed record TenantColumnType(string Sql, NpgsqlDbType DbType)
{
    public static readonly TenantColumnType BigInt = new("bigint", NpgsqlDbType.Bigint);
    public static readonly TenantColumnType Double = new("double precision", NpgsqlDbType.Double);
    public static readonly TenantColumnType Numeric = new("numeric", NpgsqlDbType.Numeric);
    public static readonly TenantColumnType Boolean = new("boolean", NpgsqlDbType.Boolean);
    public static readonly TenantColumnType Text = new("text", NpgsqlDbType.Text);
    public static readonly TenantColumnType Bytea = new("bytea", NpgsqlDbType.Bytea);

    /// <summary>The SQLite value (long, double, string, byte[] or DBNull) as this type's .NET value; null for NULL.</summary>
    public object? Convert(object value) => value switch
    {
        DBNull => null,
        long l when DbType == NpgsqlDbType.Boolean => l != 0,
        long l when DbType == NpgsqlDbType.Double => (double)l,
        long l when DbType == NpgsqlDbType.Numeric => (decimal)l,
        double d when DbType == NpgsqlDbType.Numeric => (decimal)d,
        _ => value,
    };

    /// <summary>
    /// SQLite's affinity rules (sqlite.org/datatype3.html §3.1) on the declared type, then the
    /// storage classes the column really holds decide: SQLite lets any column hold any value, a
    /// PostgreSQL column holds one type, so a column whose values do not share one is refused.
    /// </summary>
    public static TenantColumnType? For(string declared, IReadOnlySet<string> storageClasses, bool onlyZeroOrOne, out string? problem)
    {
        var (type, reason) = Decide(declared, storageClasses, onlyZeroOrOne);
        problem = reason;
        return type;
    }

    static (TenantColumnType? Type, string? Problem) Decide(string declared, IReadOnlySet<string> storageClasses, bool onlyZeroOrOne)
    {
        var type = declared.ToUpperInvariant();
        var held = storageClasses.Where(c => c != "null").ToHashSet(StringComparer.Ordinal);
        bool Holds(params string[] allowed) => held.All(allowed.Contains);
        (TenantColumnType?, string?) Refuse(string why) =>
            (null, $"declared {(declared.Length == 0 ? "without a type" : declared)} but holds {string.Join(" and ", held.Order(StringComparer.Ordinal))} values{why}");
        (TenantColumnType?, string?) Take(TenantColumnType chosen) => (chosen, null);
        if (type.Contains("INT", StringComparison.Ordinal))
        {
            return Holds("integer") ? Take(BigInt) : Refuse("");
        }
        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal))
        {
            return Holds("text") ? Take(Text) : Refuse("");
        }
        if (type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal))
        {
            return Holds("real", "integer") ? Take(Double) : Refuse("");
        }
        if (type.Contains("BLOB", StringComparison.Ordinal))
        {
            return Holds("blob") ? Take(Bytea) : Refuse("");
        }
        if (type.Contains("DECIMAL", StringComparison.Ordinal) || type.Contains("NUMERIC", StringComparison.Ordinal))
        {
            return Holds("integer", "real") ? Take(Numeric) : Refuse("");
        }
        if (type.Contains("BOOL", StringComparison.Ordinal))
        {
            return Holds("integer") && onlyZeroOrOne ? Take(Boolean) : Refuse(" other than 0 and 1");
        }
        // No type, or one SQLite gives NUMERIC affinity (DATE, DATETIME, JSON, …): what the values are.
        return held.Count switch
        {
            0 => Take(Text),
            _ when Holds("integer") => Take(BigInt),
            _ when Holds("integer", "real") => Take(Double),
            _ when Holds("text") => Take(Text),
            _ when Holds("blob") => Take(Bytea),
            _ => Refuse(" in one column"),
        };
    }
}
