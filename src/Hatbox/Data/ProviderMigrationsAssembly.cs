using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hatbox.Data;

/// <summary>
/// One context, two migration histories in one assembly: SQLite's in <c>Hatbox.Data.Migrations</c>
/// (<c>Data/Migrations/</c>) and PostgreSQL's in <c>Hatbox.Data.Postgres.Migrations</c>
/// (<c>Data/Postgres/Migrations/</c>). EF would see both sets (and two snapshots) for
/// <see cref="HatboxDbContext"/>; this shows it only the set of the provider in use, at run time
/// and for <c>dotnet ef</c> alike.
/// </summary>
internal sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    public const string SqliteNamespace = "Hatbox.Data.Migrations";
    public const string PostgresNamespace = "Hatbox.Data.Postgres.Migrations";

    readonly IMigrationsIdGenerator _ids;
    readonly Lazy<ModelSnapshot?> _snapshot;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator ids)
    {
        _ids = ids;
        var context = currentContext.Context;
        var ns = context.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? PostgresNamespace : SqliteNamespace;
        var contextType = context.GetType();
        var ours = Assembly.GetTypes()
            .Where(t => t.Namespace == ns && !t.IsAbstract && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == contextType)
            .ToList();
        Migrations = ours
            .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<MigrationAttribute>() is not null)
            .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()!.Id, Type: t.GetTypeInfo()))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToDictionary(m => m.Id, m => m.Type);
        _snapshot = new(() => ours.Where(t => t.IsSubclassOf(typeof(ModelSnapshot)))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t)!).FirstOrDefault());
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations { get; }

    public ModelSnapshot? ModelSnapshot => _snapshot.Value;

    public Assembly Assembly => typeof(HatboxDbContext).Assembly;

    public string? FindMigrationId(string nameOrId) => Migrations.Keys.FirstOrDefault(id =>
        string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(_ids.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }
}
