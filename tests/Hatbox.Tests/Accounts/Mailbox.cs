using System.Text.RegularExpressions;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// A person's inbox: the e-mails the server queued in its outbox for one address, read from the
/// real platform database (the same rows the sender delivers by SMTP or to <c>data/outbox/</c>).
/// </summary>
internal static partial class Mailbox
{
    /// <summary>The newest link to <paramref name="path"/> (e.g. <c>/verify-email</c>) sent to <paramref name="email"/>.</summary>
    public static async Task<Uri> LinkAsync(TestServer server, string email, string path)
    {
        var links = await LinksAsync(server, email, path);
        Assert.True(links.Count > 0, $"No e-mail to {email} links to {path}.");
        return links[^1];
    }

    /// <summary>Every link to <paramref name="path"/> sent to <paramref name="email"/>, oldest first.</summary>
    public static async Task<List<Uri>> LinksAsync(TestServer server, string email, string path)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        // Addresses are stored lower-cased, as accounts normalise them.
        var to = email.ToLowerInvariant();
        var bodies = await db.OutboxEmails.AsNoTracking().Where(e => e.To == to)
            .OrderBy(e => e.CreatedAt).Select(e => e.TextBody).ToListAsync(TestContext.Current.CancellationToken);
        return [.. bodies.SelectMany(body => Link().Matches(body)).Select(m => new Uri(m.Value)).Where(u => u.AbsolutePath == path)];
    }

    /// <summary>Every e-mail queued for <paramref name="email"/>, oldest first.</summary>
    public static async Task<List<(string Subject, string TextBody)>> EmailsAsync(TestServer server, string email)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var to = email.ToLowerInvariant();
        var emails = await db.OutboxEmails.AsNoTracking().Where(e => e.To == to).OrderBy(e => e.CreatedAt)
            .Select(e => new { e.Subject, e.TextBody }).ToListAsync(TestContext.Current.CancellationToken);
        return emails.ConvertAll(e => (e.Subject, e.TextBody));
    }

    /// <summary>The links of one e-mail body.</summary>
    public static List<Uri> LinksIn(string textBody) => [.. Link().Matches(textBody).Select(m => new Uri(m.Value))];

    /// <summary>The <c>token</c> query parameter of a link.</summary>
    public static string Token(Uri link) =>
        Uri.UnescapeDataString(link.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("token=", StringComparison.Ordinal))["token=".Length..]);

    [GeneratedRegex(@"https://\S+")]
    private static partial Regex Link();
}
