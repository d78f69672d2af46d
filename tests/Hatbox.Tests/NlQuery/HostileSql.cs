namespace Hatbox.Tests.NlQuery;

/// <summary>What a hijacked or careless model might answer; each must be refused with nothing run.</summary>
public static class HostileSql
{
    public static TheoryData<string> Statements => new(
        "DELETE FROM products WHERE id > 0",
        "DROP TABLE products",
        "UPDATE products SET price = 0 WHERE id > 0",
        "INSERT INTO products (name) VALUES ('planted')",
        "ATTACH DATABASE 'stolen.db' AS stolen",
        "PRAGMA writable_schema = ON",
        "SELECT count(*) FROM products; DELETE FROM products WHERE id > 0",
        "SELECT count(*) FROM products /* ; DELETE FROM products WHERE id > 0 */",
        "SELECT count(*) FROM products -- ; DROP TABLE products",
        "WITH doomed AS (SELECT id FROM products) DELETE FROM products WHERE id IN (SELECT id FROM doomed)",
        "SELECT * FROM pragma_table_info('products')",
        "SELECT name FROM sqlite_master",
        "VACUUM INTO 'copy.db'",
        "SELECT load_extension('evil')",
        "CREATE TABLE planted (x)",
        "REPLACE INTO products (id, name) VALUES (1, 'x')",
        "BEGIN; DELETE FROM products WHERE id > 0; COMMIT");
}
