using MimeKit;

namespace Hatbox.Features.Notifications;

/// <summary>Writes each e-mail as <c>data/outbox/&lt;id&gt;.eml</c>: readable by any mail client, no server needed.</summary>
internal sealed class PickupFolderEmailTransport(string folder) : IEmailTransport
{
    public string Folder { get; } = folder;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{message.MessageId}.eml");
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        // A reader never sees half a message.
        File.Move(temporary, path, overwrite: true);
    }
}
