using Hatbox.Features.Db;
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
        await using var indexes = new IndexMove(dataDirectory, target.Tenants);

        var problems = new List<string>();
        var notMoved = new List<string>();
        var tenantSources = tenants.Scan(problems, notMoved);
        if (problems.Count > 0)
        {
            throw MoveFailure.CannotMove("The source holds what cannot move; nothing was written:\n  " + string.Join("\n  ", problems));
        }
        var indexSources = indexes.Scan(tenantSources, notMoved);
        var fileList = await files.ScanAsync(cancellationToken);

        await platform.PrepareTargetAsync(cancellationToken);
        await tenants.PrepareTargetAsync(tenantSources, cancellationToken);
        await indexes.PrepareTargetAsync(indexSources, cancellationToken);
        await files.PrepareTargetAsync(cancellationToken);

        progress("copying the platform tables");
        await platform.CopyAsync(cancellationToken);
        var tenantSums = new List<Dictionary<string, RowChecksum>>();
        foreach (var tenant in tenantSources)
        {
            progress($"copying {tenant.Label} ({tenant.Tables.Count} tables)");
            tenantSums.Add(await tenants.CopyAsync(tenant, cancellationToken));
        }
        var indexSums = new List<IndexSums>();
        foreach (var index in indexSources)
        {
            progress($"copying the search index of tenant {index.WorkspaceId}/{index.Environment.Name()}");
            indexSums.Add(await indexes.CopyAsync(index, cancellationToken));
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
        var indexReports = new List<IndexReport>();
        for (var i = 0; i < indexSources.Count; i++)
        {
            indexReports.Add(await indexes.VerifyAsync(indexSources[i], indexSums[i], cancellationToken));
        }
        var wrongFiles = await files.VerifyAsync(fileList, hashes, cancellationToken);
        var mismatches = platformReport.Where(t => !t.Value.Matches).Select(t => $"platform table {t.Key}")
            .Concat(tenantReports.SelectMany(r => r.Tables.Where(t => !t.Value.Matches).Select(t => $"tenant {r.WorkspaceId}/{r.Environment} table {t.Key}")))
            .Concat(indexReports.SelectMany(r => r.Tables.Where(t => !t.Value.Matches).Select(t => $"search index {r.WorkspaceId}/{r.Environment} {t.Key}")))
            .Concat(wrongFiles.Select(f => $"file {f}"))
            .ToList();
        var report = new MoveReport(platformReport, tenantReports, new FilesReport(fileList.Count, fileList.Sum(f => f.Bytes)), indexReports, notMoved,
            mismatches.Count == 0);
        return mismatches.Count == 0
            ? report
            : throw new MoveMismatch(report, "The copy differs from the source in: " + string.Join(", ", mismatches));
    }

    /// <summary>An embedded installation at this binary's schema, and no server on it.</summary>
    async Task CheckSourceAsync(PlatformMove platform, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "hatbox.db");
        if (!File.Exists(path))
        {
            throw MoveFailure.Config($"{Path.GetFullPath(dataDirectory)} holds no embedded installation (no hatbox.db); pass its folder with --data.");
        }
        if (IsOpenElsewhere(path))
        {
            throw MoveFailure.CannotMove("The source's hatbox.db is in use: stop the server on this data folder before moving it.");
        }
        try
        {
            await using var source = platform.OpenSource();
            if ((await source.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                throw MoveFailure.CannotMove("The source's platform database is older than this binary: run `hatbox migrate --data FOLDER` with it first.");
            }
        }
        catch (SqliteException e)
        {
            throw MoveFailure.CannotMove($"The source's hatbox.db cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// Whether another process has the WAL database open: every SQLite connection holds a read
    /// lock on the dead-man-switch byte of the <c>-shm</c> file (offset 128, os_unix.c) for as
    /// long as it is open, idle or not, so a write lock on it is had only when nobody is connected.
    /// Checked on Linux, where the server runs in production; elsewhere the docs ask to stop it first.
    /// </summary>
    static bool IsOpenElsewhere(string database)
    {
        const long DeadManSwitch = 128;
        var shm = database + "-shm";
        if (!OperatingSystem.IsLinux() || !File.Exists(shm))
        {
            return false;
        }
        using var file = new FileStream(shm, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            file.Lock(DeadManSwitch, 1);
            file.Unlock(DeadManSwitch, 1);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}

/// <summary>The copy finished and verification found differences: the report says where.</summary>
internal sealed class MoveMismatch(MoveReport report, string message) : Exception(message)
{
    public MoveReport Report { get; } = report;
}
