using Hatbox.Tests.Db;

namespace Hatbox.Tests.NlQuery;

/// <summary>The shop that the nl-query tests ask about: ten products in three categories, and six orders.</summary>
public static class NlQueryData
{
    public static async Task SeedAsync(DbClient db)
    {
        await db.QueryOkAsync("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT, price REAL, stock INTEGER, color TEXT)");
        await db.QueryOkAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER, customer TEXT, quantity INTEGER, status TEXT)");
        (string Name, string Category, double Price, int Stock, string Color)[] products =
        [
            ("Kettle", "kitchen", 25, 10, "red"), ("Toaster", "kitchen", 40, 5, "white"), ("Blender", "kitchen", 60, 0, "black"),
            ("Spatula", "kitchen", 5, 100, "red"), ("Desk Lamp", "office", 30, 12, "black"), ("Stapler", "office", 8, 40, "red"),
            ("Office Chair", "office", 150, 3, "black"), ("Garden Hose", "garden", 20, 7, "green"), ("Shovel", "garden", 35, 15, "green"),
            ("Rake", "garden", 18, 0, "green"),
        ];
        foreach (var p in products)
        {
            await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "products", data = new { name = p.Name, category = p.Category, price = p.Price, stock = p.Stock, color = p.Color } });
        }
        (int Product, string Customer, int Quantity, string Status)[] orders =
        [
            (1, "Ada", 2, "shipped"), (2, "Grace", 1, "pending"), (5, "Ada", 3, "shipped"), (7, "Linus", 1, "cancelled"),
            (4, "Grace", 10, "shipped"), (9, "Ada", 1, "pending"),
        ];
        foreach (var o in orders)
        {
            await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "orders", data = new { product_id = o.Product, customer = o.Customer, quantity = o.Quantity, status = o.Status } });
        }
    }
}
