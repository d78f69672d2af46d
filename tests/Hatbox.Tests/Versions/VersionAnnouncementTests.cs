using Hatbox.Data;
using Hatbox.Features.Accounts;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Versions;

/// <summary>
/// New-version e-mails through a real SMTP exchange. "Never announced" is set up by deleting the
/// current version's announcement row, as a data folder from a build without that version would be.
/// </summary>
public sealed class VersionAnnouncementTests
{
    const string Current = "2025-10-28";

    [Fact]
    public async Task SubscribedUsersGetOneEmailWithTheChangelogAndOthersNone()
    {
        await using var smtp = CapturingSmtpServer.Start();
        var data = await PrepareDataAsync(subscribed: "fan@example.test", unsubscribed: "quiet@example.test");
        var settings = SmtpSettings(smtp);

        await using (var server = await TestServer.StartAsync(settings, sharedDataDirectory: data))
        {
            var messages = await smtp.WaitForAsync(1, TimeSpan.FromSeconds(15));
            var message = Assert.Single(messages);
            Assert.Equal("fan@example.test", message.To.Mailboxes.Single().Address);
            Assert.Contains(Current, message.Subject, StringComparison.Ordinal);
            Assert.Contains("organizationId", message.TextBody, StringComparison.Ordinal);
            await WaitUntilSentAsync(server);
        }

        await using (await TestServer.StartAsync(settings, sharedDataDirectory: data))
        {
            await Task.Delay(2500, TestContext.Current.CancellationToken);
        }
        Assert.Single(smtp.Messages);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task WithoutSmtpTheNoticeIsWrittenAsAnEmlFileInTheOutboxFolder()
    {
        var data = await PrepareDataAsync(subscribed: "reader@example.test", unsubscribed: null);

        await using (var server = await TestServer.StartAsync(sharedDataDirectory: data))
        {
            await WaitUntilSentAsync(server);
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(data, "outbox"), "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal("reader@example.test", message.To.Mailboxes.Single().Address);
        Assert.Contains(Current, message.Subject, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task TwoNodesStartingTogetherQueueTheNoticeOnce()
    {
        var data = await PrepareDataAsync(subscribed: "both@example.test", unsubscribed: null);

        var starts = await Task.WhenAll(TestServer.StartAsync(sharedDataDirectory: data), TestServer.StartAsync(sharedDataDirectory: data));
        await using var first = starts[0];
        await using var second = starts[1];

        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var queued = await db.OutboxEmails.CountAsync(e => e.DedupeKey.StartsWith($"version:{Current}:"), TestContext.Current.CancellationToken);
        Assert.Equal(1, queued);
    }

    static Dictionary<string, string?> SmtpSettings(CapturingSmtpServer smtp) => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = "hatbox@example.test",
    };

    static async Task<string> PrepareDataAsync(string subscribed, string? unsubscribed)
    {
        await using var setup = await TestServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("hatbox-announce-").FullName;
        await using var scope = setup.Services.CreateAsyncScope();
        var ct = TestContext.Current.CancellationToken;
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        foreach (var email in new[] { subscribed, unsubscribed }.OfType<string>())
        {
            var user = await accounts.SignUpAsync(email, "a long test password", null, ct, emailVouchedFor: true);
            user.Value!.NotifyNewVersions = email == subscribed;
        }
        await db.SaveChangesAsync(ct);
        await db.AnnouncedVersions.Where(v => v.Name == Current).ExecuteDeleteAsync(ct);
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {Path.Combine(data, "hatbox.db")}", ct);
        // Nodes that start together must not race to create the certificate.
        Directory.CreateDirectory(Path.Combine(data, "tls"));
        foreach (var file in Directory.GetFiles(Path.Combine(setup.DataDirectory, "tls")))
        {
            File.Copy(file, Path.Combine(data, "tls", Path.GetFileName(file)));
        }
        return data;
    }

    static async Task WaitUntilSentAsync(TestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await db.OutboxEmails.AnyAsync(e => e.SentAt == null, TestContext.Current.CancellationToken) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
