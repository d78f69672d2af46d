using Hatbox.Data;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Sqlite;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Db;

/// <summary>
/// A kill -9 keeps the page cache, so a crash test passes with or without fsync; what makes an
/// answered write survive power loss is <c>synchronous=FULL</c>, asserted here on the connections
/// the server really opens (and read back by the server itself at every open).
/// </summary>
public sealed class SynchronousFullTests
{
    const long Full = 2;

    [Fact]
    public async Task EveryPlatformConnectionRunsWithSynchronousFull()
    {
        await using var server = await TestServer.StartAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(Full, Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryTenantFileConnectionRunsWithSynchronousFull(bool writer)
    {
        var folder = Directory.CreateTempSubdirectory("hatbox-sync-").FullName;
        try
        {
            var path = Path.Combine(folder, "production.db");
            var options = new DbOptions();
            using (var created = SqliteTenantConnection.Open(path, SqliteConnectionKind.Writer, options))
            {
                Assert.Equal(Full, created.Synchronous);
            }
            using var connection = SqliteTenantConnection.Open(path, writer ? SqliteConnectionKind.Writer : SqliteConnectionKind.Reader, options);
            Assert.Equal(Full, connection.Synchronous);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
