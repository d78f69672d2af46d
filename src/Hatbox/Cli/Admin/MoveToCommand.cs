using System.CommandLine;
using System.Text.Json;
using Hatbox.Features.Migration;

namespace Hatbox.Cli.Admin;

/// <summary>
/// <c>hatbox admin move-to --config SCALEOUT.json [--data FOLDER] [--json]</c>: copies the embedded
/// installation in the data folder into the scale-out stores the file names, and verifies it.
/// Exit codes: 0 moved and verified, 1 unusable configuration or store, 2 the source cannot move,
/// 3 a target is not empty, 4 the copy differs from the source.
/// </summary>
internal static class MoveToCommand
{
    static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var command = new Command("move-to", "Copy this embedded installation (--data) into the PostgreSQL and S3 stores of --config, and verify it.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(CliHost.Json);
            try
            {
                var move = new InstallationMove(parse.GetValue(CliHost.Data) ?? "data", MoveTarget.Load(parse.GetValue(CliHost.Config)));
                var report = await move.RunAsync(step => Console.Error.WriteLine(step), cancellationToken);
                Print(report, json);
                return 0;
            }
            catch (MoveMismatch e)
            {
                Print(e.Report, json);
                Console.Error.WriteLine($"error: verification_failed: {e.Message}");
                return MoveFailure.VerificationFailed;
            }
            catch (MoveFailure e)
            {
                Console.Error.WriteLine($"error: {e.Code}: {e.Message}");
                return e.ExitCode;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or Amazon.S3.AmazonS3Exception or Microsoft.EntityFrameworkCore.DbUpdateException
                or Common.Errors.StoreUnavailableException or IOException)
            {
                // Mid-copy: the source is untouched, the target may hold part of the copy.
                Console.Error.WriteLine($"error: move_failed: {e.GetBaseException().Message} "
                    + "The target may hold part of the copy: empty it before moving again (docs/scale-out.md).");
                return MoveFailure.Unusable;
            }
        });
        return command;
    }

    static void Print(MoveReport report, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, Output));
            return;
        }
        foreach (var (table, counts) in report.Platform)
        {
            Console.WriteLine($"platform {table}: {counts.TargetRows}/{counts.Rows} rows{(counts.Matches ? "" : " MISMATCH")}");
        }
        foreach (var tenant in report.Tenants)
        {
            foreach (var (table, counts) in tenant.Tables)
            {
                Console.WriteLine($"tenant {tenant.WorkspaceId}/{tenant.Environment} {table}: {counts.TargetRows}/{counts.Rows} rows{(counts.Matches ? "" : " MISMATCH")}");
            }
        }
        foreach (var index in report.Indexes)
        {
            foreach (var (table, counts) in index.Tables)
            {
                Console.WriteLine($"search index {index.WorkspaceId}/{index.Environment} {table}: {counts.TargetRows}/{counts.Rows} rows{(counts.Matches ? "" : " MISMATCH")}");
            }
        }
        Console.WriteLine($"files: {report.Files.Count} ({report.Files.Bytes} bytes)");
        foreach (var item in report.NotMoved)
        {
            Console.WriteLine($"not moved: {item}");
        }
        Console.WriteLine(report.Verified ? "verified: every count and checksum matches" : "verified: false");
    }
}
