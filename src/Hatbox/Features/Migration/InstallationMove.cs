using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Migration;

/// <summary>
/// <c>hatbox admin move-to</c>: an embedded installation (the data folder) into the scale-out
/// stores. In order: read and check everything in the source, refuse targets that hold data,
/// copy (platform, tenants, files), then verify counts and checksums of everything. Nothing is
/// written before every check passed, and the source is only ever read.
/// </summary>
internal sealed class InstallationMove(string dataDirectory, MoveTarget target)
{
    public async Task<MoveReport> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var platform = new PlatformMove(dataDirectory, target.Platform);
        await CheckSourceAsync(platform, cancellationToken);
        using var tenants = new TenantMove(dataDirectory, target.Tenants, target.Db);
        var files = new FileMove(dataDirectory, target.Storage.S3);

        var problems = new List<string>();
        var notMoved = new List<string>();
        var tenantSources = tenants.Scan(problems, notMoved);
        if (problems.Count > 0)
        {
            throw MoveFailure.CannotMove("The source holds what cannot move; nothing was written:\n  " + string.Join("\n  ", problems));
        }
        var fileList = await files.ScanAsync(cancellationToken);

        await platform.PrepareTargetAsync(cancellationToken);
        await tenants.PrepareTargetAsync(tenantSources, cancellationToken);
        await files.PrepareTargetAsync(cancellationToken);

        progress("copying the platform tables");
        await platform.CopyAsync(cancellationToken);
        var tenantSums = new List<Dictionary<string, RowChecksum>>();
        foreach (var tenant in tenantSources)
        {
            progress($"copying {tenant.Label} ({tenant.Tables.Count} tables)");
            tenantSums.Add(await tenants.CopyAsync(tenant, cancellationToken));
        }
        progress($"copying {fileList.Count} files");
        var hashes = await files.CopyAsync(fileList, cancellationToken);

        progress("verifying");
        var platformReport = await platform.VerifyAsync(cancellationToken);
        var tenantReports = new List<TenantReport>();
        for (var i = 0; i < tenantSources.Count; i++)
        {
            tenantReports.Add(await tenants.VerifyAsync(tenantSources[i], tenantSums[i], cancellationToken));
        }
        var wrongFiles = await files.VerifyAsync(fileList, hashes, cancellationToken);
        var mismatches = platformReport.Where(t => !t.Value.Matches).Select(t => $"platform table {t.Key}")
            .Concat(tenantReports.SelectMany(r => r.Tables.Where(t => !t.Value.Matches).Select(t => $"tenant {r.WorkspaceId}/{r.Environment} table {t.Key}")))
            .Concat(wrongFiles.Select(f => $"file {f}"))
            .ToList();
        var report = new MoveReport(platformReport, tenantReports, new FilesReport(fileList.Count, fileList.Sum(f => f.Bytes)), notMoved, mismatches.Count == 0);
        return mismatches.Count == 0
            ? report
            : throw new MoveMismatch(report, "The copy differs from the source in: " + string.Join(", ", mismatches));
    }

    /// <summary>
    /// An embedded installation at this binary's schema, and no server on it: a server holds its
    /// platform database open, and SQLite's exclusive locking mode cannot be had while any other
    /// process has the file open, even idle.
    /// </summary>
    async Task CheckSourceAsync(PlatformMove platform, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "hatbox.db");
        if (!File.Exists(path))
        {
            throw MoveFailure.Config($"{Path.GetFullPath(dataDirectory)} holds no embedded installation (no hatbox.db); pass its folder with --data.");
        }
        try
        {
            await using (var probe = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 1 }.ToString()))
            {
                await probe.OpenAsync(cancellationToken);
                await using var command = new SqliteCommand("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK;", probe);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var source = platform.OpenSource();
            if ((await source.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                throw MoveFailure.CannotMove("The source's platform database is older than this binary: run `hatbox migrate --data FOLDER` with it first.");
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw MoveFailure.CannotMove("The source's hatbox.db is in use: stop the server on this data folder before moving it.");
        }
        catch (SqliteException e)
        {
            throw MoveFailure.CannotMove($"The source's hatbox.db cannot be read: {e.Message}");
        }
    }
}

/// <summary>The copy finished and verification found differences: the report says where.</summary>
internal sealed class MoveMismatch(MoveReport report, string message) : Exception(message)
{
    public MoveReport Report { get; } = report;
}
