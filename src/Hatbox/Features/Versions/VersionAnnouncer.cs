using System.Text;
using Hatbox.Data;
using Hatbox.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Versions;

/// <summary>
/// At start (once the platform store is there, before requests are admitted), queues one e-mail per subscribed user for each catalog version never announced. The
/// <see cref="AnnouncedVersion"/> row and the e-mails commit together, and the row's key lets only
/// one node win: exactly once across restarts and nodes. The outbox sender delivers them.
/// </summary>
internal sealed partial class VersionAnnouncer(IServiceScopeFactory scopes, TimeProvider time, ILogger<VersionAnnouncer> logger)
    : Common.Readiness.IPlatformStartupStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var version in ApiVersions.All.Reverse())
        {
            await AnnounceAsync(version, cancellationToken);
        }
    }

    internal async Task AnnounceAsync(ApiVersion version, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        if (await db.AnnouncedVersions.AnyAsync(v => v.Name == version.Name, cancellationToken))
        {
            return;
        }
        var subscribers = await db.Users.Where(u => u.NotifyNewVersions).Select(u => u.Email).ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AnnouncedVersions.Add(new AnnouncedVersion { Name = version.Name, AnnouncedAt = time.GetUtcNow(), Recipients = subscribers.Count });
        foreach (var email in subscribers)
        {
            await Outbox.EnqueueAsync(db, time, $"version:{version.Name}:{email}", email,
                $"Hatbox API version {version.Name} is available", Body(version), cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogAnnounced(logger, version.Name, subscribers.Count);
        }
        catch (DbUpdateException)
        {
            // Another node announced it first; its e-mails stand, ours roll back.
            await transaction.RollbackAsync(cancellationToken);
        }
    }

    static string Body(ApiVersion version)
    {
        var text = new StringBuilder()
            .AppendLine($"API version {version.Name} is now available.")
            .AppendLine()
            .AppendLine(version.Summary)
            .AppendLine()
            .AppendLine("What changed:");
        foreach (var change in version.Changes)
        {
            text.AppendLine($"  - {change}");
        }
        return text.AppendLine()
            .AppendLine("Your organization stays on its pinned version until an admin upgrades it in Account settings;")
            .AppendLine("you can try the new version on one request with the header WorqHat-Version: " + version.Name + ".")
            .AppendLine()
            .AppendLine("You get this e-mail because you subscribed to new-version notices in your account settings.")
            .ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announced API version {Version} to {Recipients} subscribers")]
    static partial void LogAnnounced(ILogger logger, string version, int recipients);
}
